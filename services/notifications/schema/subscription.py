"""The notifications subgraph's subscription: the signed-in account's new messages,
live, in the connection's language; it ends with the connection's token."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from cbkit.subscriptions import ConnectionToken
from services.notifications.schema.context import Info
from services.notifications.schema.inbox import Notification


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Your own new messages as they arrive (read the inbox for those"
        " before). The stream ends with the connection's token unless renewed."
    )
    async def notification_added(self, info: Info) -> AsyncGenerator[Notification, None]:
        viewer = info.context.require()
        deps = info.context.deps
        token = await ConnectionToken.of(info.context, deps.verify, deps.clock)
        language = info.context.language
        async for message in token.until_expired(deps.live.stream(viewer.account_id)):
            yield Notification.from_record(message, language)
