"""Use cases of the outcomes this service heard of: whose each one is, so that its
conversions and refusals are read only by whom may read that learner's."""

from __future__ import annotations

from cbkit.db import Connection
from services.conversion.repository import outcomes


async def submitted(conn: Connection, outcome_id: str, learner_id: str) -> None:
    await outcomes.record_learner(conn, outcome_id, learner_id)


async def learners_of(conn: Connection, outcome_ids: list[str]) -> list[str | None]:
    return await outcomes.learners_of_outcomes(conn, outcome_ids)
