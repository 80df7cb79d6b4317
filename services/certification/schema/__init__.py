"""The certification subgraph: the review queue and the reviewer's mutations;
the types live in `types`."""

from __future__ import annotations

import strawberry

from cbkit.graphql import subgraph_schema
from cbkit.paging import DEFAULT_PAGE, Connection, connection, page_request
from services.certification import domain
from services.certification.domain import access
from services.certification.schema.context import Info
from services.certification.schema.figures import Stats
from services.certification.schema.types import Account, Certification, Outcome
from services.certification.service_layer import reviews


@strawberry.type
class Query:
    @strawberry.field(
        description="Cases for reviewers and admins, oldest due first; by default"
        " those waiting on a reviewer (PENDING and IN_REVIEW).",
        deprecation_reason="use reviewQueueConnection: it pages and filters",
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

    @strawberry.field(
        description="Cases for reviewers and admins (a reviewer sees those of learners"
        " they have a case for), oldest due first, a page at a time; by default those"
        " waiting on a reviewer (PENDING and IN_REVIEW). mine: claimed by you;"
        " unclaimed: held by nobody; overdue: open and past their due day."
    )
    async def review_queue_connection(
        self,
        info: Info,
        first: int | None = DEFAULT_PAGE,
        after: str | None = None,
        status: domain.CaseStatus | None = None,
        mine: bool | None = False,
        unclaimed: bool | None = False,
        overdue: bool | None = False,
        kind: domain.OutcomeKind | None = None,
        learner_id: strawberry.ID | None = None,
    ) -> Connection[Certification]:
        caller = info.context.require(*access.REVIEWERS)
        request = page_request("reviewQueue", first, after)
        ask = reviews.QueueAsk(
            status=status,
            mine=bool(mine),
            unclaimed=bool(unclaimed),
            overdue=bool(overdue),
            kind=kind,
            learner_id=None if learner_id is None else str(learner_id),
        )
        found = reviews.queue_filter(info.context.deps, caller, ask)
        cases = await info.context.run(reviews.queue_page, request, found)
        return connection(
            cases,
            Certification.from_record,
            lambda: info.context.run(reviews.queue_count, found),
        )


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


schema = subgraph_schema(
    query=Query, mutation=Mutation, types=[Outcome, Certification, Account, Stats]
)
