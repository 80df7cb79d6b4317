"""The inbox's GraphQL types: a message in the request's language with what it is
about, an account's preferences, and the account's fields that reach them, read
only by the account itself (domain/access.py)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from cbkit.i18n import Language, Text
from cbkit.paging import DEFAULT_PAGE, Connection, connection, page_request
from services.notifications import domain
from services.notifications.domain import access
from services.notifications.schema.context import Info
from services.notifications.service_layer import inbox, preferences

strawberry.enum(domain.Kind, name="NotificationKind")
strawberry.enum(domain.AboutType, name="NotificationAboutType")


@strawberry.type(description="What a message links to: a type and its key.")
class NotificationAbout:
    type: domain.AboutType
    id: strawberry.ID


@strawberry.type(description="A message to the account, in the request's language.")
class Notification:
    id: strawberry.ID
    kind: domain.Kind
    title: str
    body: str
    about: NotificationAbout
    created_at: datetime
    read_at: datetime | None

    @classmethod
    def from_record(cls, message: domain.Message, language: Language) -> Notification:
        title, body = message.rendered(language)
        return cls(
            id=strawberry.ID(message.id),
            kind=message.kind,
            title=title,
            body=body,
            about=NotificationAbout(type=message.about_type, id=strawberry.ID(message.about_id)),
            created_at=message.created_at,
            read_at=message.read_at,
        )


@strawberry.type(description="What the account chose about its messages.")
class NotificationPreferences:
    language: str = strawberry.field(description="zh-CN or en: the e-mails' language")
    email: str | None = strawberry.field(description="where e-mails go; null: no e-mail")
    email_kinds: list[domain.Kind] = strawberry.field(description="the kinds sent by e-mail")

    @classmethod
    def from_record(cls, chosen: domain.Preferences) -> NotificationPreferences:
        return cls(
            language=chosen.language.value, email=chosen.email, email_kinds=list(chosen.email_kinds)
        )


def _own(info: Info, account_id: strawberry.ID, what: Text, field: str) -> str:
    viewer = info.context.require()
    access.require_own(viewer, str(account_id), what, field)
    return viewer.account_id


@strawberry.federation.type(keys=["id"])
class Account:
    """An account, extended by its key with its own inbox."""

    id: strawberry.ID

    @strawberry.field(
        description="The account's messages, newest first, a page at a time; unread: only"
        " those not yet read. Only the account itself reads them."
    )
    async def notifications(
        self,
        info: Info,
        first: int | None = DEFAULT_PAGE,
        after: str | None = None,
        unread: bool | None = False,
    ) -> Connection[Notification]:
        account_id = _own(info, self.id, access.MESSAGES, "notifications")
        request = page_request("Account.notifications", first, after)
        found = await info.context.run(inbox.page_of, account_id, bool(unread), request)
        language = info.context.language
        return connection(
            found,
            lambda message: Notification.from_record(message, language),
            info.context.deferred(inbox.count, account_id, bool(unread)),
        )

    @strawberry.field(description="How many of the account's messages are unread.")
    async def unread_notifications(self, info: Info) -> int:
        account_id = _own(info, self.id, access.UNREAD, "unreadNotifications")
        return await info.context.run(inbox.count, account_id, True)

    @strawberry.field(description="What the account chose about its messages.")
    async def notification_preferences(self, info: Info) -> NotificationPreferences:
        account_id = _own(info, self.id, access.PREFERENCES, "notificationPreferences")
        return NotificationPreferences.from_record(
            await info.context.run(preferences.of, account_id)
        )
