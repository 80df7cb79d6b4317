"""The certification subgraph's types: a case as reviewers and learners see it,
reached through its outcome or by its key, and only by those the access policy
lets read the cases of its learner."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial

import strawberry
from strawberry.federation.schema_directives import FieldSet, Key

from cbkit.graphql import from_record
from services.certification import domain
from services.certification.domain import access
from services.certification.repository import cases, history
from services.certification.schema.context import Info
from services.certification.service_layer import sight

strawberry.enum(domain.CaseStatus, name="CertificationStatus")
strawberry.enum(domain.Decision, name="Decision")
strawberry.enum(domain.OutcomeKind, name="OutcomeKind")


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)])
class Account:
    id: strawberry.ID


def _account(account_id: str | None) -> Account | None:
    return Account(id=strawberry.ID(account_id)) if account_id else None


@strawberry.type
class CertificationStep:
    status: domain.CaseStatus
    by: Account | None
    at: datetime
    note: str | None

    @classmethod
    def from_record(cls, step: domain.Step) -> CertificationStep:
        return from_record(cls, step, by=_account(step.by_id))


async def readable(info: Info, case: domain.Case | None, field: str) -> Certification | None:
    """The case as the caller may read it: a caller without a token is told to sign
    in, one who may not read the cases of its learner is refused naming `field`."""
    caller = info.context.require()
    if case is None:
        return None
    access.require_learner_present(caller, case, field)
    ties = access.NO_TIES
    if access.ties_matter(caller, case.learner_id):
        fetch = partial(sight.ties_to_learners, caller=caller)
        ties = await info.context.loader("ties", fetch).load(case.learner_id)
    now = info.context.deps.clock.now()
    access.require_sight_of_cases(caller, case.learner_id, ties, now, field)
    return Certification.from_record(case)


@strawberry.federation.type(keys=["id"])
class Outcome:
    id: strawberry.ID

    @strawberry.field
    async def certification(self, info: Info) -> Certification | None:
        loader = info.context.loader("cases_by_outcome", cases.cases_by_outcome)
        return await readable(info, await loader.load(str(self.id)), "certification")

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Outcome:
        return cls(id=id)


@strawberry.federation.type(keys=["id"])
class Certification:
    id: strawberry.ID
    outcome: Outcome
    status: domain.CaseStatus
    reviewer: Account | None
    submitted_on: date
    due_on: date
    decided_at: datetime | None
    reason: str | None
    verified_credential_code: str | None
    case: strawberry.Private[domain.Case]

    @strawberry.field
    def working_days_left(self, info: Info) -> int:
        deps = info.context.deps
        return domain.working_days_left(self.case, deps.clock.today(), deps.calendar)

    @strawberry.field
    def overdue(self, info: Info) -> bool:
        deps = info.context.deps
        return domain.is_overdue(self.case, deps.clock.today(), deps.calendar)

    @strawberry.field
    async def history(self, info: Info) -> list[CertificationStep]:
        steps = await info.context.loader("history", history.history_by_case).load(str(self.id))
        return [CertificationStep.from_record(step) for step in steps]

    @classmethod
    def from_record(cls, case: domain.Case) -> Certification:
        return from_record(
            cls,
            case,
            outcome=Outcome(id=strawberry.ID(case.outcome_id)),
            reviewer=_account(case.reviewer_id),
            case=case,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Certification | None:
        case = await info.context.loader("cases", cases.cases_by_id).load(str(id))
        return await readable(info, case, "id")
