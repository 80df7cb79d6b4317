"""The certification subgraph: the review queue and the reviewer's mutations;
the types live in `types`."""

from __future__ import annotations

import strawberry

from cbkit.graphql import subgraph_schema
from services.certification import domain
from services.certification.domain import access
from services.certification.schema.context import Info
from services.certification.schema.types import Account, Certification, Outcome
from services.certification.service_layer import reviews


@strawberry.type
class Query:
    @strawberry.field(
        description="Cases for reviewers and admins, oldest due first; by default"
        " those waiting on a reviewer (PENDING and IN_REVIEW)."
    )
    async def review_queue(
        self,
        info: Info,
        status: domain.CaseStatus | None = None,
        overdue_only: bool | None = False,
        limit: int = 100,
    ) -> list[Certification]:
        # a reviewer gets only the cases of learners they have a case for (domain/access.py)
        caller = info.context.require(*access.REVIEWERS)
        async with info.context.pool.acquire() as conn:
            found = await reviews.review_queue(
                conn, info.context.deps, caller, status, bool(overdue_only), limit
            )
        return [Certification.from_record(case) for case in found]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Assign the case to yourself; an admin may take one over.")
    async def claim_certification(self, info: Info, id: strawberry.ID) -> Certification:
        caller = info.context.require(*access.REVIEWERS)
        async with info.context.pool.acquire() as conn:
            case = await reviews.claim(conn, info.context.deps, str(id), caller)
        return Certification.from_record(case)

    @strawberry.mutation(
        description="Decide a case you hold. APPROVE confirms verifiedCredentialCode where"
        " the outcome claims one; REJECT and REQUEST_INFO need a reason."
    )
    async def decide_certification(
        self,
        info: Info,
        id: strawberry.ID,
        decision: domain.Decision,
        reason: str | None = None,
        verified_credential_code: str | None = None,
    ) -> Certification:
        caller = info.context.require(*access.REVIEWERS)
        verdict = domain.Verdict(decision, reason, verified_credential_code)
        async with info.context.pool.acquire() as conn:
            case = await reviews.decide(conn, info.context.deps, str(id), caller, verdict)
        return Certification.from_record(case)


schema = subgraph_schema(query=Query, mutation=Mutation, types=[Outcome, Certification, Account])
