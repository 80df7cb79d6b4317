"""SQL for decisions made and the counts the metrics show."""

from __future__ import annotations

from datetime import date

from cbkit.db import Connection
from services.certification.domain import Case, Counts, Decision
from services.certification.repository.cases import OPEN_STATUSES


async def record_decision(conn: Connection, case: Case, decision: Decision, on_time: bool) -> None:
    await conn.execute(
        "INSERT INTO decisions (case_id, decision, decided_at, due_on, on_time)"
        " VALUES ($1, $2, $3, $4, $5)",
        case.id,
        decision.value,
        case.decided_at,
        case.due_on,
        on_time,
    )


async def counts(conn: Connection, due_before: date) -> Counts:
    """Open cases, those due before `due_before`, decisions, decisions on time."""
    row = await conn.fetchrow(
        "SELECT count(*) AS open, count(*) FILTER (WHERE due_on < $2) AS overdue,"
        " (SELECT count(*) FROM decisions) AS decided,"
        " (SELECT count(*) FROM decisions WHERE on_time) AS on_time"
        " FROM cases WHERE status = ANY($1::text[])",
        OPEN_STATUSES,
        due_before,
    )
    assert row is not None
    return Counts(row["open"], row["overdue"], row["decided"], row["on_time"])
