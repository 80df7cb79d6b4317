"""The accounts subgraph's subscription: a learner's credit events, live and resumable."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from cbkit.graphql import from_record
from services.accounts.domain import access, feed
from services.accounts.domain.feed import FeedEntry
from services.accounts.schema.connection_token import ConnectionToken
from services.accounts.schema.context import Info
from services.accounts.service_layer import feed as feed_service


@strawberry.type
class CreditEvent:
    id: strawberry.ID
    cursor: str
    type: str
    learner_id: strawberry.ID
    occurred_at: datetime
    data: JSON

    @classmethod
    def from_record(cls, entry: FeedEntry) -> CreditEvent:
        return from_record(cls, entry, id=entry.event_id, data=cast(JSON, entry.data))


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def credit_events(
        self, info: Info, after: str | None = None, types: list[str] | None = None
    ) -> AsyncGenerator[CreditEvent, None]:
        """A learner's own events; an institution's consented learners'; an admin's all.
        Pass the last cursor seen as `after` to receive what was missed, then live events.
        The stream ends with the connection's token (see `connection_token`)."""
        viewer = info.context.require(*access.READS_CREDIT_EVENTS)
        position = feed.position_of(after) if after is not None else None
        wanted = feed.check_types(types)
        token = await ConnectionToken.of_info(info)
        deps = info.context.deps
        entries = feed_service.stream(
            info.context.pool, deps.feed, deps.clock, viewer, position, wanted
        )
        async for entry in token.until_expired(entries):
            yield CreditEvent.from_record(entry)
