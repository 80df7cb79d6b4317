"""SQL for whose outcome each outcome is, as far as this service heard."""

from __future__ import annotations

import uuid

from cbkit.db import Connection, parse_uuids


async def record_learner(conn: Connection, outcome_id: str, learner_id: str) -> None:
    """Remember the outcome's learner; an outcome never changes hands."""
    await conn.execute(
        "INSERT INTO outcome_learners (outcome_id, learner_id) VALUES ($1, $2)"
        " ON CONFLICT (outcome_id) DO NOTHING",
        uuid.UUID(outcome_id),
        uuid.UUID(learner_id),
    )


async def learners_of_outcomes(conn: Connection, ids: list[str]) -> list[str | None]:
    """Per outcome id, its learner's id, or None for an outcome never heard of."""
    rows = await conn.fetch(
        "SELECT outcome_id, learner_id FROM outcome_learners WHERE outcome_id = ANY($1::uuid[])",
        parse_uuids(ids),
    )
    found = {str(r["outcome_id"]): str(r["learner_id"]) for r in rows}
    return [found.get(i) for i in ids]
