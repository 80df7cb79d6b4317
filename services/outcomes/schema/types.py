"""The GraphQL types of outcomes, each built from its domain record by `from_record`."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.dataloader import DataLoader

from cbkit.errors import NotFound
from cbkit.graphql import from_record
from cbkit.paging import Connection, connection, page_request
from services.outcomes import domain
from services.outcomes.domain import OutcomeKind, OutcomeStatus, access
from services.outcomes.repository import outcomes
from services.outcomes.schema.context import Info
from services.outcomes.schema.readers import learners_data, require_reader
from services.outcomes.service_layer import results

strawberry.enum(OutcomeKind, name="OutcomeKind")
strawberry.enum(OutcomeStatus, name="OutcomeStatus")


@strawberry.type
class Evidence:
    id: strawberry.ID
    filename: str
    content_type: str
    size: int
    sha256: str

    @classmethod
    def from_record(cls, record: domain.EvidenceFile) -> Evidence:
        return from_record(cls, record)


def outcome_loader(info: Info) -> DataLoader[str, domain.Outcome | None]:
    return info.context.loader("outcomes", outcomes.outcomes_by_id)


@strawberry.federation.type(keys=["id"])
class Account:
    id: strawberry.ID

    @strawberry.field(deprecation_reason="use outcomesConnection: it pages")
    async def outcomes(self, info: Info, status: OutcomeStatus | None = None) -> list[Outcome]:
        """Refused as a whole to whom may not read this learner's results."""
        await require_reader(info, str(self.id))
        records = await info.context.loader(
            "outcomes_by_learner", outcomes.outcomes_by_learner
        ).load(str(self.id))
        return [Outcome.from_record(r) for r in records if status is None or r.status == status]

    @strawberry.field
    async def outcomes_connection(
        self,
        info: Info,
        first: int | None = 20,
        after: str | None = None,
        status: OutcomeStatus | None = None,
        kind: OutcomeKind | None = None,
    ) -> Connection[Outcome]:
        """The learner's results, newest first, a page at a time (`first` at most 100,
        `after` the `endCursor` of the page before); empty once the learner closed
        their account. Refused as a whole to whom may not read this learner's results."""
        await require_reader(info, str(self.id))
        request = page_request("Account.outcomesConnection", first, after)
        learner_id = str(self.id)
        found = await info.context.run(results.results_page, request, learner_id, status, kind)

        async def count() -> int:
            return await info.context.run(results.count_results, learner_id, status, kind)

        return connection(found, Outcome.from_record, count)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Account:
        return cls(id=id)


@strawberry.federation.type(keys=["id"])
class Outcome:
    """A learner's result: its key is public, every other field is the learner's data."""

    id: strawberry.ID
    learner_id: strawberry.Private[str]
    learner: Account = learners_data()
    kind: OutcomeKind = learners_data()
    title: str = learners_data()
    issuer: str = learners_data()
    credential_code: str | None = learners_data()
    achieved_on: date = learners_data()
    hours: int | None = learners_data()
    evidence: list[Evidence] = learners_data()
    status: OutcomeStatus = learners_data()
    submitted_at: datetime = learners_data()

    @classmethod
    def from_record(cls, record: domain.Outcome) -> Outcome:
        return from_record(
            cls,
            record,
            learner=Account(id=strawberry.ID(record.learner_id)),
            evidence=[Evidence.from_record(e) for e in record.evidence],
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Outcome | None:
        """None for an unknown id; a result of a learner who closed their account
        answers only that."""
        record = await outcome_loader(info).load(str(id))
        if record is None:
            return None
        access.require_not_closed(record.learner_closed)
        return cls.from_record(record)


@strawberry.input
class AddResultInput:
    kind: OutcomeKind
    title: str
    issuer: str
    credential_code: str | None = None
    achieved_on: date
    hours: int | None = None
    evidence_ids: list[strawberry.ID]

    def to_domain(self) -> domain.NewResult:
        """The result as entered; its evidence ids go their own way."""
        return from_record(domain.NewResult, self)


@strawberry.type
class OutcomeStatusCount:
    status: OutcomeStatus
    count: int


@strawberry.type
class OutcomeKindCount:
    kind: OutcomeKind
    count: int


STATS_ID = "bank"


@strawberry.federation.type(keys=["id"])
class Stats:
    id: strawberry.ID

    @strawberry.field(description="every learner's results by status, every status named")
    async def results_by_status(self, info: Info) -> list[OutcomeStatusCount]:
        info.context.require(access.STATS_READER)
        counted = await info.context.run(results.results_by_status)
        return [OutcomeStatusCount(status=status, count=n) for status, n in counted]

    @strawberry.field(description="every learner's results by kind, every kind named")
    async def results_by_kind(self, info: Info) -> list[OutcomeKindCount]:
        info.context.require(access.STATS_READER)
        counted = await info.context.run(results.results_by_kind)
        return [OutcomeKindCount(kind=kind, count=n) for kind, n in counted]

    @classmethod
    def resolve_reference(cls, info: Info, id: strawberry.ID) -> Stats:
        """Admins only; the one `Stats` is "bank"."""
        info.context.require(access.STATS_READER)
        if str(id) != STATS_ID:
            raise NotFound(
                f'the bank\'s figures are Stats "{STATS_ID}", not "{id}"',
                field="id",
                zh=f"银行的统计数据是 Stats“{STATS_ID}”，而不是“{id}”",
            )
        return cls(id=id)
