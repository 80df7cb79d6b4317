"""The notifications subgraph: the account's inbox and preferences (types in
`inbox`), marking messages read and choosing preferences, and the live
`notificationAdded` (`subscription`); institutions' webhook endpoints (`webhooks`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cbkit.graphql import subgraph_schema
from services.notifications import domain
from services.notifications.schema import inbox as inbox_types
from services.notifications.schema.context import Info
from services.notifications.schema.inbox import Notification, NotificationPreferences
from services.notifications.schema.subscription import Subscription
from services.notifications.schema.webhooks import AccountWebhooks, WebhookMutation, WebhookQuery
from services.notifications.service_layer import inbox, preferences


@strawberry.federation.type(keys=["id"])
class Account(inbox_types.Account, AccountWebhooks):
    """An account, extended by its key with its own inbox and, for an institution,
    its webhook endpoints."""


@strawberry.type
class Query(WebhookQuery):
    @strawberry.field(description="Every kind of message, to choose which go by e-mail.")
    def notification_kinds(self) -> list[domain.Kind]:
        return list(domain.Kind)


@strawberry.type
class Mutation(WebhookMutation):
    @strawberry.mutation(
        description="Mark your own messages read: those of ids, or all of them with"
        " all: true; how many changed (read ones and others' ids change nothing)."
    )
    async def mark_notifications_read(
        self,
        info: Info,
        ids: list[strawberry.ID] | None = None,
        everything: Annotated[bool | None, strawberry.argument(name="all")] = None,
    ) -> int:
        caller = info.context.require()
        named = None if ids is None else [str(i) for i in ids]
        async with info.context.pool.acquire() as conn:
            return await inbox.mark_read(conn, info.context.deps, caller, named, bool(everything))

    @strawberry.mutation(
        description="Choose your own preferences: language (zh-CN or en) of the e-mails,"
        " the address they go to (null: none) and which kinds go by e-mail."
    )
    async def set_notification_preferences(
        self,
        info: Info,
        language: str,
        email: str | None = None,
        email_kinds: list[domain.Kind] | None = None,
    ) -> NotificationPreferences:
        caller = info.context.require()
        kinds = email_kinds or []
        async with info.context.pool.acquire() as conn:
            chosen = await preferences.choose(
                conn, info.context.deps, caller, language, email, kinds
            )
        return NotificationPreferences.from_record(chosen)


schema = subgraph_schema(
    query=Query, mutation=Mutation, subscription=Subscription, types=[Account, Notification]
)
