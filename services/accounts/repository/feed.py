"""SQL for the credit event feed."""

from __future__ import annotations

import uuid
from datetime import datetime

from cbkit.auth import Principal, Role
from cbkit.db import Connection, from_row
from cbkit.envelope import Event
from services.accounts.domain.feed import FeedEntry

CHANNEL = "credit_feed"
APPEND_LOCK = 0x43420F01
COLUMNS = "position, event_id, learner_id, type, occurred_at, data"
# What each role sees of the feed, as `domain.access.sees_credit_event` says: an
# institution sees the events that happened under a consent that is still active ($5
# is now).
VISIBLE = {
    Role.ADMIN: "true",
    Role.LEARNER: "f.learner_id = $4",
    Role.INSTITUTION: (
        "EXISTS (SELECT 1 FROM consents c WHERE c.institution_id = $4"
        " AND c.learner_id = f.learner_id AND c.granted_at <= f.occurred_at"
        " AND c.revoked_at IS NULL AND c.expires_at > $5)"
    ),
}


async def append(conn: Connection, event: Event) -> None:
    """Append in the caller's transaction; the lock makes positions commit in order. An
    event about a closed account, late, is not kept."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", APPEND_LOCK)
    position = await conn.fetchval(
        "INSERT INTO credit_feed (event_id, learner_id, type, occurred_at, data)"
        " SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS"
        " (SELECT 1 FROM accounts WHERE id = $2 AND closed_at IS NOT NULL)"
        " ON CONFLICT (event_id) DO NOTHING RETURNING position",
        event.id,
        uuid.UUID(event.subject),
        event.routing_key,
        event.time,
        event.data,
    )
    if position is not None:
        await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, str(position))


async def entries_after(
    conn: Connection,
    viewer: Principal,
    after: int,
    types: list[str] | None,
    now: datetime,
    limit: int = 500,
) -> list[FeedEntry]:
    """What `viewer` may see past `after`; an institution's consents are read each time."""
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM credit_feed f WHERE position > $1"
        f" AND ($2::text[] IS NULL OR type = ANY($2)) AND {VISIBLE[viewer.role]}"
        " ORDER BY position LIMIT $3",
        after,
        types,
        limit,
        *_viewer_arguments(viewer, now),
    )
    return [from_row(FeedEntry, r) for r in rows]


def _viewer_arguments(viewer: Principal, now: datetime) -> list[object]:
    """The arguments of the viewer's clause in VISIBLE."""
    if viewer.role is Role.ADMIN:
        return []
    account = uuid.UUID(viewer.account_id)
    return [account, now] if viewer.role is Role.INSTITUTION else [account]


async def all_entries_after(conn: Connection, after: int, limit: int) -> list[FeedEntry]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM credit_feed WHERE position > $1 ORDER BY position LIMIT $2",
        after,
        limit,
    )
    return [from_row(FeedEntry, r) for r in rows]


async def consented_since(
    conn: Connection, institution_id: str, now: datetime
) -> dict[str, datetime]:
    """Learners consenting to `institution_id` now, with when each consent was granted."""
    rows = await conn.fetch(
        "SELECT learner_id, min(granted_at) AS since FROM consents WHERE institution_id = $1"
        " AND revoked_at IS NULL AND expires_at > $2 GROUP BY learner_id",
        uuid.UUID(institution_id),
        now,
    )
    return {str(r["learner_id"]): r["since"] for r in rows}


async def last_position(conn: Connection) -> int:
    return int(await conn.fetchval("SELECT coalesce(max(position), 0) FROM credit_feed"))


async def forget_learner(conn: Connection, learner_id: str) -> None:
    """Remove the learner's entries from the feed (a closure)."""
    await conn.execute("DELETE FROM credit_feed WHERE learner_id = $1", uuid.UUID(learner_id))
