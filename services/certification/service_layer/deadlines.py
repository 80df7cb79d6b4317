"""Deadlines over all cases: announcing those overdue and counting for the metrics."""

from __future__ import annotations

from cbkit.db import Connection
from cbkit.outbox import publish
from services.certification import events
from services.certification.adapters import metrics
from services.certification.domain import Counts
from services.certification.repository import cases, decisions
from services.certification.service_layer.dependencies import Dependencies


async def announce_overdue(conn: Connection, deps: Dependencies) -> int:
    """Publish certification.overdue once per case (and deadline) that has passed."""
    due_before = deps.calendar.last_working_day(deps.clock.today())
    overdue = await cases.overdue_unannounced(conn, due_before)
    for case in overdue:
        await publish(conn, events.certification_overdue(case))
    await cases.mark_overdue_announced(conn, [c.id for c in overdue], deps.clock.now())
    return len(overdue)


async def refresh_metrics(conn: Connection, deps: Dependencies) -> Counts:
    """Count open and overdue cases and decisions, and show them as gauges."""
    counts = await decisions.counts(conn, deps.calendar.last_working_day(deps.clock.today()))
    metrics.show(counts)
    return counts
