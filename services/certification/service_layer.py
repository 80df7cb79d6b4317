"""Use cases of certification: each takes a connection and plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from cbkit.clock import Clock
from cbkit.db import Connection
from cbkit.errors import Conflict, NotFound
from cbkit.outbox import publish
from services.certification import domain, events, repository
from services.certification.calendar import WorkingCalendar
from services.certification.domain import Case, CaseStatus, Decision

MAX_QUEUE = 500


async def _locked(conn: Connection, case_id: str) -> Case:
    case = await repository.case_for_update(conn, case_id)
    if case is None:
        raise NotFound(f"no certification case {case_id}", field="id")
    return case


async def _save(conn: Connection, before: Case, change: domain.Change) -> None:
    if not await repository.save_change(conn, before, change):
        raise Conflict("the case changed meanwhile; reload it and try again", field="id")


async def claim(
    conn: Connection, case_id: str, reviewer_id: str, is_admin: bool, clock: Clock
) -> Case:
    """Row lock first, so of two reviewers claiming at once the second sees the first's claim."""
    async with conn.transaction():
        case = await _locked(conn, case_id)
        change = domain.claim(case, reviewer_id, is_admin, clock.now())
        if change is None:
            return case
        await _save(conn, case, change)
        await publish(conn, events.claimed(change.case, change.step.at))
        return change.case


@dataclass(frozen=True)
class Verdict:
    decision: Decision
    reason: str | None
    verified_credential_code: str | None


async def decide(
    conn: Connection, case_id: str, reviewer_id: str, verdict: Verdict, clock: Clock
) -> Case:
    async with conn.transaction():
        case = await _locked(conn, case_id)
        change = domain.decide(
            case,
            reviewer_id,
            verdict.decision,
            verdict.reason,
            verdict.verified_credential_code,
            clock.now(),
        )
        await _save(conn, case, change)
        decided = change.case
        await repository.record_decision(
            conn, decided, verdict.decision.value, domain.decided_on_time(decided)
        )
        await publish(conn, events.decided(decided, verdict.decision))
        return decided


async def review_queue(
    conn: Connection,
    status: CaseStatus | None,
    overdue_only: bool,
    limit: int,
    today: date,
    calendar: WorkingCalendar,
) -> list[Case]:
    if overdue_only and status is not None and status not in domain.OPEN:
        return []
    overdue_before = calendar.last_working_day(today) if overdue_only else None
    return await repository.queue(conn, status, overdue_before, max(0, min(limit, MAX_QUEUE)))


async def announce_overdue(
    conn: Connection, today: date, calendar: WorkingCalendar, at: datetime
) -> int:
    """Publish certification.overdue once per case (and deadline) that has passed."""
    cases = await repository.overdue_unannounced(conn, calendar.last_working_day(today))
    for case in cases:
        await publish(conn, events.overdue(case))
    await repository.mark_overdue_announced(conn, [c.id for c in cases], at)
    return len(cases)


@dataclass(frozen=True)
class Counts:
    open: int
    overdue: int
    decisions: int
    on_time: int

    @property
    def on_time_share(self) -> float:
        return self.on_time / self.decisions if self.decisions else 1.0


async def counts(conn: Connection, today: date, calendar: WorkingCalendar) -> Counts:
    return Counts(*await repository.counts(conn, calendar.last_working_day(today)))
