"""The certification subgraph: GraphQL types and thin resolvers."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.federation.schema_directives import FieldSet, Key
from strawberry.types import Info

from cbkit.auth import Role
from cbkit.clock import Clock
from cbkit.graphql import Context, subgraph_extensions
from services.certification import domain, repository, service_layer
from services.certification.calendar import WorkingCalendar

CertificationStatus = strawberry.enum(domain.CaseStatus, name="CertificationStatus")
Decision = strawberry.enum(domain.Decision, name="Decision")
REVIEWERS = (Role.REVIEWER, Role.ADMIN)


def _calendar(info: Info[Context, None]) -> WorkingCalendar:
    calendar: WorkingCalendar = info.context.deps.calendar
    return calendar


def _clock(info: Info[Context, None]) -> Clock:
    clock: Clock = info.context.deps.clock
    return clock


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
    """Reached only through an outcome the caller was allowed to see (outcomes checks)."""

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
    case: strawberry.Private[domain.Case]

    @strawberry.field
    def working_days_left(self, info: Info[Context, None]) -> int:
        return domain.working_days_left(self.case, _clock(info).today(), _calendar(info))

    @strawberry.field
    def overdue(self, info: Info[Context, None]) -> bool:
        return domain.is_overdue(self.case, _clock(info).today(), _calendar(info))

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
            case=case,
        )

    @classmethod
    async def resolve_reference(
        cls, info: Info[Context, None], id: strawberry.ID
    ) -> Certification | None:
        case = await info.context.loader("cases", repository.cases_by_id).load(str(id))
        return cls.from_case(case) if case else None


@strawberry.type
class Query:
    @strawberry.field(
        description="Cases for reviewers and admins, oldest due first; by default"
        " those waiting on a reviewer (PENDING and IN_REVIEW)."
    )
    async def review_queue(
        self,
        info: Info[Context, None],
        status: CertificationStatus | None = None,  # type: ignore[valid-type]
        overdue_only: bool | None = False,
        limit: int = 100,
    ) -> list[Certification]:
        info.context.require(*REVIEWERS)
        async with info.context.pool.acquire() as conn:
            cases = await service_layer.review_queue(
                conn,
                status,
                bool(overdue_only),
                limit,
                _clock(info).today(),
                _calendar(info),
            )
        return [Certification.from_case(c) for c in cases]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Assign the case to yourself; an admin may take one over.")
    async def claim_certification(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> Certification:
        caller = info.context.require(*REVIEWERS)
        async with info.context.pool.acquire() as conn:
            case = await service_layer.claim(
                conn, str(id), caller.account_id, caller.role is Role.ADMIN, _clock(info)
            )
        return Certification.from_case(case)

    @strawberry.mutation(
        description="Decide a case you hold. APPROVE confirms verifiedCredentialCode where"
        " the outcome claims one; REJECT and REQUEST_INFO need a reason."
    )
    async def decide_certification(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        decision: Decision,  # type: ignore[valid-type]
        reason: str | None = None,
        verified_credential_code: str | None = None,
    ) -> Certification:
        caller = info.context.require(*REVIEWERS)
        verdict = service_layer.Verdict(decision, reason, verified_credential_code)
        async with info.context.pool.acquire() as conn:
            case = await service_layer.decide(
                conn, str(id), caller.account_id, verdict, _clock(info)
            )
        return Certification.from_case(case)


schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    types=[Outcome, Certification, Account],
    extensions=subgraph_extensions(),
)
