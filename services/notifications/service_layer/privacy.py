"""What an account downloads of notifications (`GET /privacy/export`): its messages
(in both languages, with what each is about), the preferences it chose and its e-mail
log (which message was e-mailed to which address, in which language, when, and whether
it was sent); and what a closed
account leaves behind: nothing of its own, and its name in no institution's message."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from cbkit import wire
from cbkit.auth import Role
from cbkit.db import Connection
from services.notifications.domain import Message, Preferences
from services.notifications.domain.email import EmailRecord
from services.notifications.repository import accounts, inbox, preferences
from services.notifications.repository import email as emails
from services.notifications.service_layer.dependencies import Dependencies


async def export(
    conn: Connection, deps: Dependencies, account_id: str
) -> Mapping[str, Sequence[Mapping[str, Any]]]:
    chosen = await preferences.stored(conn, account_id)
    return {
        "notifications": [_message(m) for m in await inbox.all_of(conn, account_id)],
        "notificationPreferences": [] if chosen is None else [_preferences(chosen)],
        "emails": [_email(e) for e in await emails.of_account(conn, account_id)],
    }


def _email(sent: EmailRecord) -> dict[str, Any]:
    subject, _ = sent.message.rendered(sent.language)
    return {
        "messageId": sent.message.id,
        "kind": sent.message.kind.value,
        "to": sent.to,
        "language": sent.language,
        "subject": subject,
        "status": sent.status,
        "attempts": sent.attempts,
        "queuedAt": wire.instant(sent.queued_at),
        "sentAt": _instant(sent.sent_at),
        "failedAt": _instant(sent.failed_at),
        "lastError": sent.last_error,
    }


def _preferences(chosen: Preferences) -> dict[str, Any]:
    return {
        "language": chosen.language.value,
        "email": chosen.email,
        "emailKinds": [k.value for k in chosen.email_kinds],
    }


def _message(message: Message) -> dict[str, Any]:
    title_zh, body_zh = message.rendered("zh")
    title_en, body_en = message.rendered("en")
    return {
        "id": message.id,
        "kind": message.kind.value,
        "about": {"type": message.about_type.name, "id": message.about_id},
        "titleZh": title_zh,
        "bodyZh": body_zh,
        "titleEn": title_en,
        "bodyEn": body_en,
        "createdAt": wire.instant(message.created_at),
        "readAt": _instant(message.read_at),
    }


def _instant(value: datetime | None) -> str | None:
    return None if value is None else wire.instant(value)


async def close_account(conn: Connection, account_id: str, role: Role, at: datetime) -> None:
    """Erase what this service holds of the closed account: its messages, its
    preferences, its results' titles, and its name from institutions' messages;
    later events about it make no message."""
    await accounts.close(conn, account_id, role, at)
    await inbox.erase(conn, account_id)
    await inbox.forget_name(conn, account_id)
    await preferences.erase(conn, account_id)
    await accounts.forget_outcomes(conn, account_id)
