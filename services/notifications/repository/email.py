"""SQL for the e-mail queue: queued with the message, claimed by one sender at a time
(FOR UPDATE SKIP LOCKED) with the message as it reads then, marked sent, due again, or
failed; erased with the message (ON DELETE CASCADE)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from cbkit.db import Connection, from_row
from services.notifications.domain import Message
from services.notifications.domain.email import MAX_ERROR, Email, EmailRecord, NewEmail


async def queue(conn: Connection, new: NewEmail) -> None:
    """Queue the e-mail; a message has one e-mail at most."""
    await conn.execute(
        "INSERT INTO emails (id, message_id, account_id, recipient, language, queued_at,"
        " next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        " ON CONFLICT (message_id) DO NOTHING",
        uuid.uuid4(),
        new.message_id,
        new.account_id,
        new.to,
        new.language,
        new.queued_at,
        new.due,
    )


async def claim_due(conn: Connection, now: datetime, limit: int, lease: timedelta) -> list[Email]:
    """At most `limit` e-mails due at `now`, oldest due first, counted as attempted and
    put out of every other sender's reach for `lease` (due again then, should this
    sender stop before it marks them). Rows another sender holds are skipped."""
    rows = await conn.fetch(
        "WITH due AS (SELECT id FROM emails WHERE sent_at IS NULL AND failed_at IS NULL"
        "  AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $3"
        "  FOR UPDATE SKIP LOCKED)"
        " UPDATE emails e SET attempts = e.attempts + 1, next_attempt_at = $2"
        " FROM due, messages m WHERE e.id = due.id AND m.id = e.message_id"
        " RETURNING e.id AS email_id, e.recipient, e.language, e.attempts, e.queued_at,"
        " m.id, m.position, m.account_id, m.kind, m.about_type, m.about_id, m.params,"
        " m.created_at, m.read_at",
        now,
        now + lease,
        limit,
    )
    claimed = [
        Email(
            id=str(r["email_id"]),
            to=r["recipient"],
            language=r["language"],
            attempts=r["attempts"],
            queued_at=r["queued_at"],
            message=from_row(Message, r),
        )
        for r in rows
    ]
    return sorted(claimed, key=lambda e: (e.queued_at, e.id))


async def sent(conn: Connection, email_id: str, at: datetime) -> None:
    await conn.execute(
        "UPDATE emails SET sent_at = $2, last_error = NULL WHERE id = $1", email_id, at
    )


async def retry(conn: Connection, email_id: str, at: datetime, error: str) -> None:
    """Due again at `at`, with why the last attempt failed."""
    await conn.execute(
        "UPDATE emails SET next_attempt_at = $2, last_error = $3 WHERE id = $1",
        email_id,
        at,
        error[:MAX_ERROR],
    )


async def failed(conn: Connection, email_id: str, at: datetime, error: str) -> None:
    """Given up on: never tried again."""
    await conn.execute(
        "UPDATE emails SET failed_at = $2, last_error = $3 WHERE id = $1",
        email_id,
        at,
        error[:MAX_ERROR],
    )


async def of_account(conn: Connection, account_id: str) -> list[EmailRecord]:
    """Every e-mail of the account's messages, oldest queued first, with its message."""
    rows = await conn.fetch(
        "SELECT e.recipient, e.language, e.queued_at, e.attempts, e.sent_at, e.failed_at,"
        " e.last_error, m.id, m.position, m.account_id, m.kind, m.about_type, m.about_id,"
        " m.params, m.created_at, m.read_at"
        " FROM emails e JOIN messages m ON m.id = e.message_id"
        " WHERE e.account_id = $1 ORDER BY e.queued_at, e.id",
        account_id,
    )
    return [
        EmailRecord(
            message=from_row(Message, r),
            to=r["recipient"],
            language=r["language"],
            queued_at=r["queued_at"],
            attempts=r["attempts"],
            sent_at=r["sent_at"],
            failed_at=r["failed_at"],
            last_error=r["last_error"],
        )
        for r in rows
    ]
