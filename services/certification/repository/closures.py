"""SQL for the learners who closed their account."""

from __future__ import annotations

from datetime import datetime

from cbkit.db import Connection


async def remember(conn: Connection, learner_id: str, closed_at: datetime) -> bool:
    """Remember the closure; False when it was known already."""
    inserted = await conn.fetchval(
        "INSERT INTO closed_learners (learner_id, closed_at) VALUES ($1, $2)"
        " ON CONFLICT DO NOTHING RETURNING true",
        learner_id,
        closed_at,
    )
    return bool(inserted)


async def is_closed(conn: Connection, learner_id: str) -> bool:
    found = await conn.fetchval(
        "SELECT true FROM closed_learners WHERE learner_id = $1", learner_id
    )
    return bool(found)
