"""The certification subgraph: GraphQL types and thin resolvers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import strawberry
from strawberry.federation.schema_directives import FieldSet, Key
from strawberry.types import Info

from cbkit.graphql import Context, RefusalErrors
from services.certification import domain, repository
from services.certification.calendar import WorkingCalendar

CertificationStatus = strawberry.enum(domain.CaseStatus, name="CertificationStatus")


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)])
class Account:
    id: strawberry.ID


@strawberry.type
class CertificationStep:
    status: CertificationStatus  # type: ignore[valid-type]
    by: Account | None
    at: datetime
    note: str | None


@strawberry.federation.type(keys=["id"])
class Outcome:
    id: strawberry.ID

    @strawberry.field
    async def certification(self, info: Info[Context, None]) -> Certification | None:
        case = await info.context.loader("cases_by_outcome", repository.cases_by_outcome).load(
            str(self.id)
        )
        return Certification.from_case(case) if case else None

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Outcome:
        return cls(id=id)


def _days_left(info: Info[Context, None], due_on: date) -> int:
    calendar: WorkingCalendar = info.context.services["calendar"]
    return calendar.working_days_left(domain.local_day(datetime.now(UTC)), due_on)


@strawberry.federation.type(keys=["id"])
class Certification:
    id: strawberry.ID
    outcome: Outcome
    status: CertificationStatus  # type: ignore[valid-type]
    reviewer: Account | None
    submitted_on: date
    due_on: date
    decided_at: datetime | None
    reason: str | None
    verified_credential_code: str | None

    @strawberry.field
    def working_days_left(self, info: Info[Context, None]) -> int:
        return _days_left(info, self.due_on)

    @strawberry.field
    def overdue(self, info: Info[Context, None]) -> bool:
        open_statuses = (domain.CaseStatus.PENDING, domain.CaseStatus.IN_REVIEW)
        return self.status in open_statuses and _days_left(info, self.due_on) < 0

    @strawberry.field
    async def history(self, info: Info[Context, None]) -> list[CertificationStep]:
        steps = await info.context.loader("history", repository.history_by_case).load(str(self.id))
        return [
            CertificationStep(
                status=s.status,
                by=Account(id=strawberry.ID(s.by_id)) if s.by_id else None,
                at=s.at,
                note=s.note,
            )
            for s in steps
        ]

    @classmethod
    def from_case(cls, case: domain.Case) -> Certification:
        return cls(
            id=strawberry.ID(case.id),
            outcome=Outcome(id=strawberry.ID(case.outcome_id)),
            status=case.status,
            reviewer=Account(id=strawberry.ID(case.reviewer_id)) if case.reviewer_id else None,
            submitted_on=case.submitted_on,
            due_on=case.due_on,
            decided_at=case.decided_at,
            reason=case.reason,
            verified_credential_code=case.verified_credential_code,
        )

    @classmethod
    async def resolve_reference(
        cls, info: Info[Context, None], id: strawberry.ID
    ) -> Certification | None:
        case = await info.context.loader("cases", repository.cases_by_id).load(str(id))
        return cls.from_case(case) if case else None


@strawberry.type
class Query:
    @strawberry.field
    def review_queue_size(self) -> int:
        return 0


schema = strawberry.federation.Schema(
    query=Query, types=[Outcome, Certification, Account], extensions=[RefusalErrors]
)
