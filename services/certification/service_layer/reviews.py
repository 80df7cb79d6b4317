"""What reviewers do: see the queue, claim a case, decide it."""

from __future__ import annotations

from cbkit.auth import Principal
from cbkit.db import Connection
from cbkit.errors import Conflict, NotFound
from cbkit.outbox import publish
from services.certification import domain, events
from services.certification.domain import Case, CaseStatus, Verdict, access
from services.certification.repository import cases, decisions
from services.certification.service_layer.dependencies import Dependencies

MAX_QUEUE = 500


async def _locked(conn: Connection, case_id: str) -> Case:
    case = await cases.case_for_update(conn, case_id)
    if case is None:
        raise NotFound(f'no certification case with id "{case_id}"', field="id")
    return case


async def _save(conn: Connection, before: Case, change: domain.Change) -> None:
    if not await cases.save_change(conn, before, change):
        raise Conflict("the case changed meanwhile; reload it and try again", field="id")


async def claim(conn: Connection, deps: Dependencies, case_id: str, caller: Principal) -> Case:
    """Row lock first, so of two reviewers claiming at once the second sees the first's claim."""
    async with conn.transaction():
        case = await _locked(conn, case_id)
        change = domain.claim(case, caller, deps.clock.now())
        if change is None:
            return case
        await _save(conn, case, change)
        await publish(conn, events.certification_claimed(change.case, change.step.at))
        return change.case


async def decide(
    conn: Connection, deps: Dependencies, case_id: str, caller: Principal, verdict: Verdict
) -> Case:
    async with conn.transaction():
        case = await _locked(conn, case_id)
        change = domain.decide(case, caller, verdict, deps.clock.now())
        await _save(conn, case, change)
        decided = change.case
        on_time = domain.decided_on_time(decided, deps.calendar)
        await decisions.record_decision(conn, decided, verdict.decision, on_time)
        await publish(conn, events.DECIDED[verdict.decision](decided))
        return decided


async def review_queue(
    conn: Connection,
    deps: Dependencies,
    caller: Principal,
    status: CaseStatus | None,
    overdue_only: bool,
    limit: int,
) -> list[Case]:
    """The cases the caller may read, oldest due first."""
    if overdue_only and status is not None and status not in domain.OPEN:
        return []
    today = deps.clock.today()
    overdue_before = deps.calendar.last_working_day(today) if overdue_only else None
    limit = max(0, min(limit, MAX_QUEUE))
    return await cases.queue(conn, status, overdue_before, limit, access.queue_reviewer(caller))
