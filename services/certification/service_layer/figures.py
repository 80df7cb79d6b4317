"""The bank's figures of certification, for admins (`Stats`): decisions per month
and whether they kept the 15-working-day promise, and the cases open and overdue."""

from __future__ import annotations

from dataclasses import dataclass

from cbkit.db import Connection
from services.certification.domain import DecisionMonth
from services.certification.repository import decisions
from services.certification.service_layer.dependencies import Dependencies


@dataclass(frozen=True)
class OpenCases:
    open: int
    overdue: int


async def decisions_by_month(conn: Connection, deps: Dependencies) -> list[DecisionMonth]:
    """Months in the bank's zone (`deps.clock.zone`), oldest first."""
    return await decisions.by_month(conn, str(deps.clock.zone))


async def open_cases(conn: Connection, deps: Dependencies) -> OpenCases:
    """Cases waiting on a reviewer, and those of them overdue today."""
    counts = await decisions.counts(conn, deps.calendar.last_working_day(deps.clock.today()))
    return OpenCases(counts.open, counts.overdue)
