"""The GraphQL types of outcomes, each built from its domain record by `from_record`."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.dataloader import DataLoader

from cbkit.graphql import from_record
from services.outcomes import domain
from services.outcomes.domain import OutcomeKind, OutcomeStatus
from services.outcomes.repository import outcomes
from services.outcomes.schema.context import Info
from services.outcomes.schema.readers import learners_data, require_reader

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

    @strawberry.field
    async def outcomes(self, info: Info, status: OutcomeStatus | None = None) -> list[Outcome]:
        """Refused as a whole to whom may not read this learner's results."""
        await require_reader(info, str(self.id))
        records = await info.context.loader(
            "outcomes_by_learner", outcomes.outcomes_by_learner
        ).load(str(self.id))
        return [Outcome.from_record(r) for r in records if status is None or r.status == status]

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
        record = await outcome_loader(info).load(str(id))
        return cls.from_record(record) if record else None


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
