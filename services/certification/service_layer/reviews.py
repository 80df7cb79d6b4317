"""What reviewers do: see the queue, claim a case, decide it."""

from __future__ import annotations

from dataclasses import dataclass

from cbkit.auth import Principal
from cbkit.db import Connection, parse_uuids
from cbkit.errors import Conflict, NotFound, Refusal
from cbkit.outbox import publish
from cbkit.paging import Page, PageRequest, page
from services.certification import domain, events
from services.certification.domain import (
    Case,
    CaseStatus,
    OutcomeKind,
    QueueFilter,
    Verdict,
    access,
)
from services.certification.repository import cases, decisions
from services.certification.service_layer.dependencies import Dependencies

MAX_QUEUE = 500


async def _locked(conn: Connection, case_id: str) -> Case:
    case = await cases.case_for_update(conn, case_id)
    if case is None:
        raise NotFound(
            f'no certification case with id "{case_id}"',
            field="id",
            zh=f"没有 ID 为“{case_id}”的认证案件",
        )
    return case


async def _save(conn: Connection, before: Case, change: domain.Change) -> None:
    if not await cases.save_change(conn, before, change):
        raise Conflict(
            "the case changed meanwhile; reload it and try again",
            field="id",
            zh="案件已被他人更改；请重新加载后再试",
        )


async def claim(conn: Connection, deps: Dependencies, case_id: str, caller: Principal) -> Case:
    """Row lock first, so of two reviewers claiming at once the second sees the first's claim."""
    async with conn.transaction():
        case = await _locked(conn, case_id)
        access.require_learner_present(caller, case, "id")
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
        access.require_learner_present(caller, case, "id")
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
    return await cases.queue(
        conn,
        status,
        overdue_before,
        limit,
        access.queue_reviewer(caller),
        hide_closed=access.closure_hides_cases(caller),
    )


@dataclass(frozen=True)
class QueueAsk:
    """What a caller asks of the paged review queue (`reviewQueueConnection`)."""

    status: CaseStatus | None = None
    mine: bool = False
    unclaimed: bool = False
    overdue: bool = False
    kind: OutcomeKind | None = None
    learner_id: str | None = None


def queue_filter(deps: Dependencies, caller: Principal, ask: QueueAsk) -> QueueFilter:
    """The filter of the caller's queue: their ask, and what the access policy adds."""
    if ask.learner_id is not None and not parse_uuids([ask.learner_id]):
        raise Refusal(
            f'learnerId "{ask.learner_id}" is not an account id',
            field="learnerId",
            zh=f"learnerId“{ask.learner_id}”不是账户 ID",
        )
    overdue_before = deps.calendar.last_working_day(deps.clock.today()) if ask.overdue else None
    return domain.queue_filter(
        caller,
        status=ask.status,
        mine=ask.mine,
        unclaimed=ask.unclaimed,
        overdue_before=overdue_before,
        kind=ask.kind,
        learner_id=ask.learner_id,
    )


async def queue_page(conn: Connection, request: PageRequest, found: QueueFilter) -> Page[Case]:
    """A page of the queue, oldest due first (due day, then id)."""
    after = request.after
    if after is not None and not cases.is_queue_key(after):
        raise Refusal(
            f"after is not a cursor of this list ({request.list_name})",
            field="after",
            zh=f"after 不是此列表（{request.list_name}）的游标",
        )
    rows = [] if found.empty else await cases.queue_page(conn, found, request)
    return page(request, rows, key=cases.queue_key)


async def queue_count(conn: Connection, found: QueueFilter) -> int:
    """How many cases the whole filtered queue holds."""
    return 0 if found.empty else await cases.queue_count(conn, found)
