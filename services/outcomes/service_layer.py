"""Use cases of outcomes: each takes a connection and plain values."""

from __future__ import annotations

from datetime import UTC, datetime

from cbkit.db import Connection
from cbkit.outbox import publish
from services.outcomes import domain, events, repository
from services.outcomes.domain import NewResult, Outcome


async def add_result(conn: Connection, learner_id: str, result: NewResult) -> Outcome:
    outcome = domain.submit(learner_id, result, today=datetime.now(UTC).date())
    async with conn.transaction():
        stored = await repository.insert_outcome(conn, outcome)
        await publish(conn, events.outcome_submitted(stored))
    return stored
