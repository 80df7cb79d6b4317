"""SQL for decisions made and the counts the metrics show."""

from __future__ import annotations

from datetime import date

from cbkit.db import Connection
from services.certification.domain import Case, Counts, Decision, DecisionMonth
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


async def by_month(conn: Connection, zone: str) -> list[DecisionMonth]:
    """Decisions per month of their instant in `zone` (an IANA name), oldest first,
    with how many were on time."""
    rows = await conn.fetch(
        "SELECT to_char(decided_at AT TIME ZONE $1, 'YYYY-MM') AS month,"
        " count(*) AS decided, count(*) FILTER (WHERE on_time) AS on_time"
        " FROM decisions GROUP BY 1 ORDER BY 1",
        zone,
    )
    return [DecisionMonth(row["month"], row["decided"], row["on_time"]) for row in rows]
