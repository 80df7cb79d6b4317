"""The outcomes subgraph: its root fields, thin resolvers over the service layer."""

from __future__ import annotations

import strawberry

from cbkit.errors import NotFound
from cbkit.graphql import subgraph_schema
from services.outcomes.domain import access
from services.outcomes.schema.context import Info
from services.outcomes.schema.readers import require_reader
from services.outcomes.schema.types import (
    Account,
    AddResultInput,
    Outcome,
    Stats,
    outcome_loader,
)
from services.outcomes.service_layer import results


@strawberry.type
class Query:
    @strawberry.field
    async def outcome(self, info: Info, id: strawberry.ID) -> Outcome | None:
        """For its learner and admins, institutions under the learner's consent, and
        reviewers with a case for the learner; a result of a learner who closed their
        account answers only that."""
        info.context.require()
        record = await outcome_loader(info).load(str(id))
        if record is None:
            raise NotFound(
                f'no result with id "{id}" that you may see',
                field="id",
                zh=f"没有您可以查看的 id 为“{id}”的成果",
            )
        access.require_not_closed(record.learner_closed)
        await require_reader(info, record.learner_id)
        return Outcome.from_record(record)


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def add_result(self, info: Info, input: AddResultInput) -> Outcome:
        principal = info.context.require(access.DEPOSITOR)
        evidence_ids = [str(i) for i in input.evidence_ids]
        async with info.context.pool.acquire() as conn:
            record = await results.add_result(
                conn, info.context.deps.clock, principal.account_id, input.to_domain(), evidence_ids
            )
        return Outcome.from_record(record)

    @strawberry.mutation
    async def resubmit_result(
        self,
        info: Info,
        id: strawberry.ID,
        note: str,
        evidence_ids: list[strawberry.ID] | None = None,
    ) -> Outcome:
        """Answer a request for more information (only while NEEDS_INFO)."""
        principal = info.context.require(access.DEPOSITOR)
        added = [str(i) for i in evidence_ids or []]
        async with info.context.pool.acquire() as conn:
            record = await results.resubmit_result(
                conn, info.context.deps.clock, principal.account_id, str(id), note, added
            )
        return Outcome.from_record(record)

    @strawberry.mutation
    async def withdraw_result(self, info: Info, id: strawberry.ID) -> Outcome:
        """Take back a result not yet decided."""
        principal = info.context.require(access.DEPOSITOR)
        async with info.context.pool.acquire() as conn:
            record = await results.withdraw_result(
                conn, info.context.deps.clock, principal.account_id, str(id)
            )
        return Outcome.from_record(record)


schema = subgraph_schema(query=Query, mutation=Mutation, types=[Account, Outcome, Stats])
