"""Every field of a learner's results asks the access policy, however it was reached:
the `outcome` root field, an account's `outcomes`, or `_entities`. The grounds a
viewer may have (a consent, a case) are looked up once per request for all the
learners it touches."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.extensions.field_extension import AsyncExtensionResolver, FieldExtension

from cbkit.db import Connection
from services.outcomes.domain import access
from services.outcomes.domain.access import NO_GROUNDS
from services.outcomes.schema.context import Info
from services.outcomes.service_layer import readers


async def require_reader(info: Info, learner_id: str) -> None:
    """Refuses the field being resolved unless the caller may read `learner_id`'s results:
    UNAUTHENTICATED without a token, FORBIDDEN without grounds."""
    viewer = info.context.require()
    grounds = NO_GROUNDS
    if access.grounds_matter(viewer):
        clock = info.context.deps.clock

        async def fetch(conn: Connection, learner_ids: list[str]) -> list[access.Grounds]:
            return await readers.grounds(conn, clock, viewer, learner_ids)

        grounds = await info.context.loader("grounds", fetch).load(learner_id)
    access.require_results(viewer, learner_id, grounds, info.field_name)


class OfTheLearner(FieldExtension):
    """A field of a learner's result: resolved only for whom may read the results of
    the learner (`learner_id` of the object it belongs to)."""

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Info, **kwargs: Any
    ) -> Any:
        await require_reader(info, source.learner_id)
        return await next_(source, info, **kwargs)


def learners_data() -> Any:
    """A field declared like a plain attribute, guarded by `OfTheLearner`."""
    return strawberry.field(extensions=[OfTheLearner()])
