"""The outcomes subgraph: GraphQL types and thin resolvers."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.types import Info

from cbkit.auth import Role
from cbkit.errors import NotFound
from cbkit.graphql import Context, subgraph_extensions
from services.outcomes import domain
from services.outcomes.repository import outcomes
from services.outcomes.service_layer import results

OutcomeKind = strawberry.enum(domain.OutcomeKind, name="OutcomeKind")
OutcomeStatus = strawberry.enum(domain.OutcomeStatus, name="OutcomeStatus")


@strawberry.type
class Evidence:
    id: strawberry.ID
    filename: str
    content_type: str
    size: int
    sha256: str

    @classmethod
    def from_record(cls, record: domain.EvidenceFile) -> Evidence:
        return cls(
            id=strawberry.ID(record.id),
            filename=record.filename,
            content_type=record.content_type,
            size=record.size,
            sha256=record.sha256,
        )


@strawberry.federation.type(keys=["id"])
class Account:
    id: strawberry.ID

    @strawberry.field
    async def outcomes(
        self,
        info: Info[Context, None],
        status: OutcomeStatus | None = None,  # type: ignore[valid-type]
    ) -> list[Outcome]:
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
    kind: OutcomeKind  # type: ignore[valid-type]
    title: str
    issuer: str
    credential_code: str | None
    achieved_on: date
    hours: int | None
    evidence: list[Evidence]
    status: OutcomeStatus  # type: ignore[valid-type]
    submitted_at: datetime

    @classmethod
    def from_record(cls, record: domain.Outcome) -> Outcome:
        return cls(
            id=strawberry.ID(record.id),
            learner=Account(id=strawberry.ID(record.learner_id)),
            kind=record.kind,
            title=record.title,
            issuer=record.issuer,
            credential_code=record.credential_code,
            achieved_on=record.achieved_on,
            hours=record.hours,
            evidence=[Evidence.from_record(e) for e in record.evidence],
            status=record.status,
            submitted_at=record.submitted_at,
        )

    @classmethod
    async def resolve_reference(
        cls, info: Info[Context, None], id: strawberry.ID
    ) -> Outcome | None:
        record = await info.context.loader("outcomes", outcomes.outcomes_by_id).load(str(id))
        return cls.from_record(record) if record else None


@strawberry.input
class AddResultInput:
    kind: OutcomeKind  # type: ignore[valid-type]
    title: str
    issuer: str
    credential_code: str | None = None
    achieved_on: date
    hours: int | None = None
    evidence_ids: list[strawberry.ID]


@strawberry.type
class Query:
    @strawberry.field
    async def outcome(self, info: Info[Context, None], id: strawberry.ID) -> Outcome | None:
        """For its learner, reviewers, admins, and institutions under the learner's consent."""
        principal = info.context.require()
        record = await info.context.loader("outcomes", outcomes.outcomes_by_id).load(str(id))
        if record is not None:
            async with info.context.pool.acquire() as conn:
                if await results.may_see_learner(conn, principal, record.learner_id):
                    return Outcome.from_record(record)
        raise NotFound(f"no result {id} that you may see", field="id")


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def add_result(self, info: Info[Context, None], input: AddResultInput) -> Outcome:
        principal = info.context.require(Role.LEARNER)
        result = domain.NewResult(
            kind=input.kind,
            title=input.title,
            issuer=input.issuer,
            credential_code=input.credential_code,
            achieved_on=input.achieved_on,
            hours=input.hours,
        )
        async with info.context.pool.acquire() as conn:
            record = await results.add_result(
                conn, principal.account_id, result, [str(i) for i in input.evidence_ids]
            )
        return Outcome.from_record(record)

    @strawberry.mutation
    async def resubmit_result(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        note: str,
        evidence_ids: list[strawberry.ID] | None = None,
    ) -> Outcome:
        """Answer a request for more information (only while NEEDS_INFO)."""
        principal = info.context.require(Role.LEARNER)
        async with info.context.pool.acquire() as conn:
            record = await results.resubmit_result(
                conn, principal.account_id, str(id), note, [str(i) for i in evidence_ids or []]
            )
        return Outcome.from_record(record)

    @strawberry.mutation
    async def withdraw_result(self, info: Info[Context, None], id: strawberry.ID) -> Outcome:
        """Take back a result not yet decided."""
        principal = info.context.require(Role.LEARNER)
        async with info.context.pool.acquire() as conn:
            record = await results.withdraw_result(conn, principal.account_id, str(id))
        return Outcome.from_record(record)


schema = strawberry.federation.Schema(
    query=Query, mutation=Mutation, types=[Account, Outcome], extensions=subgraph_extensions()
)
