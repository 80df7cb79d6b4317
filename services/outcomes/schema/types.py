"""The GraphQL types of outcomes, each built from its domain record by `from_record`."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from cbkit.graphql import from_record
from services.outcomes import domain
from services.outcomes.domain import OutcomeKind, OutcomeStatus
from services.outcomes.repository import outcomes
from services.outcomes.schema.context import Info

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


@strawberry.federation.type(keys=["id"])
class Account:
    id: strawberry.ID

    @strawberry.field
    async def outcomes(self, info: Info, status: OutcomeStatus | None = None) -> list[Outcome]:
        records = await info.context.loader(
            "outcomes_by_learner", outcomes.outcomes_by_learner
        ).load(str(self.id))
        return [Outcome.from_record(r) for r in records if status is None or r.status == status]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Account:
        return cls(id=id)


@strawberry.federation.type(keys=["id"])
class Outcome:
    id: strawberry.ID
    learner: Account
    kind: OutcomeKind
    title: str
    issuer: str
    credential_code: str | None
    achieved_on: date
    hours: int | None
    evidence: list[Evidence]
    status: OutcomeStatus
    submitted_at: datetime

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
        record = await info.context.loader("outcomes", outcomes.outcomes_by_id).load(str(id))
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
