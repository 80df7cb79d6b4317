"""SQL for the conversions followed for their expiry: heard converted, their credits'
state as later events change it, the ones to warn of, a learner's forgotten."""

from __future__ import annotations

from datetime import date, datetime

from cbkit.db import Connection, from_row
from services.notifications.domain.deadlines import Conversion, CreditState

COLUMNS = "conversion_id AS id, learner_id, course_code, credits, expires_on, warned_at"


async def converted(conn: Connection, conversion: Conversion) -> None:
    """Keep the conversion ACTIVE; one whose credits an earlier-heard event already
    closed learns its course, credits and expiry and stays closed."""
    await conn.execute(
        "INSERT INTO credit_expiries (conversion_id, learner_id, state, course_code, credits,"
        " expires_on) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (conversion_id) DO UPDATE"
        " SET course_code = excluded.course_code, credits = excluded.credits,"
        " expires_on = excluded.expires_on",
        conversion.id,
        conversion.learner_id,
        CreditState.ACTIVE.value,
        conversion.course_code,
        conversion.credits,
        conversion.expires_on,
    )


async def change(
    conn: Connection,
    conversion_id: str,
    learner_id: str,
    state: CreditState,
    when: tuple[CreditState, ...],
) -> None:
    """Move the conversion's credits to `state` when they are in one of `when`; a
    conversion not heard of yet is kept in `state` (its conversion may come later)."""
    await conn.execute(
        "INSERT INTO credit_expiries (conversion_id, learner_id, state) VALUES ($1, $2, $3)"
        " ON CONFLICT (conversion_id) DO UPDATE SET state = excluded.state"
        " WHERE credit_expiries.state = ANY($4::text[])",
        conversion_id,
        learner_id,
        state.value,
        [s.value for s in when],
    )


async def to_warn(conn: Connection, today: date, until: date, limit: int) -> list[Conversion]:
    """ACTIVE credits expiring from today to `until`, not yet warned of; locked,
    skipping those another transaction holds."""
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM credit_expiries WHERE state = $1 AND warned_at IS NULL"
        " AND expires_on BETWEEN $2 AND $3 ORDER BY expires_on, conversion_id LIMIT $4"
        " FOR UPDATE SKIP LOCKED",
        CreditState.ACTIVE.value,
        today,
        until,
        limit,
    )
    return [from_row(Conversion, r) for r in rows]


async def mark_warned(conn: Connection, conversion_id: str, at: datetime) -> None:
    await conn.execute(
        "UPDATE credit_expiries SET warned_at = $2 WHERE conversion_id = $1", conversion_id, at
    )


async def forget_learner(conn: Connection, learner_id: str) -> None:
    await conn.execute("DELETE FROM credit_expiries WHERE learner_id = $1", learner_id)
