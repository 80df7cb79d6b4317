"""SQL for review cases and the outcomes withdrawn before their case opened."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from operator import attrgetter

from cbkit.db import Connection, fetch_one, from_row, one_per_key, parse_uuids
from cbkit.paging import PageRequest, keyset, order_by
from services.certification.domain import OPEN, Case, CaseStatus, Change, QueueFilter, Step
from services.certification.repository.history import append_step

COLUMNS = (
    "id, outcome_id, learner_id, kind, title, credential_code, achieved_on, hours, status,"
    " reviewer_id, submitted_on, due_on, decided_at, reason, verified_credential_code, sequence,"
    " learner_closed_at"
)
INSERTED = COLUMNS.removesuffix(", learner_closed_at")
OPEN_STATUSES = [s.value for s in OPEN]
# literal, so the planner matches the partial index cases_open_queue
OPEN_CONDITION = "status IN ('PENDING', 'IN_REVIEW')"
assert set(OPEN_STATUSES) == {"PENDING", "IN_REVIEW"}
# the learners a reviewer (the parameter named in braces) has a case for: one of
# their cases waits in the queue unclaimed, or the reviewer claimed or decided one
LEARNERS_WITH_A_CASE = (
    f"SELECT learner_id FROM cases WHERE {OPEN_CONDITION} AND reviewer_id IS NULL"
    " UNION SELECT c.learner_id FROM case_history h JOIN cases c ON c.id = h.case_id"
    " WHERE h.by_id = {reviewer}"
)

# the same, row by row for the queue's pages: the case's learner has a case for the
# reviewer (the parameter named in braces), by two index lookups per case read, so a
# reviewer's last page costs what their first does
# (OFFSET 0 keeps the planner from hashing each whole subquery first, page after page)
LEARNER_HAS_A_CASE_FOR = (
    "(EXISTS (SELECT 1 FROM cases waiting WHERE waiting.learner_id = cases.learner_id"
    " AND waiting.status IN ('PENDING', 'IN_REVIEW') AND waiting.reviewer_id IS NULL OFFSET 0)"
    " OR EXISTS (SELECT 1 FROM cases worked JOIN case_history h ON h.case_id = worked.id"
    " WHERE worked.learner_id = cases.learner_id AND h.by_id = {reviewer} OFFSET 0))"
)


async def _select(conn: Connection, condition: str, *args: object) -> list[Case]:
    """The cases meeting the SQL `condition` (and its ORDER BY, LIMIT or locking)."""
    rows = await conn.fetch(f"SELECT {COLUMNS} FROM cases WHERE {condition}", *args)
    return [from_row(Case, row) for row in rows]


async def insert_case(conn: Connection, case: Case, at: datetime) -> bool:
    """Store a new case; False when the outcome already has one or was withdrawn, or
    its learner closed their account."""
    inserted = await conn.fetchval(
        f"INSERT INTO cases ({INSERTED})"
        " SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16"
        " WHERE NOT EXISTS (SELECT 1 FROM withdrawn_outcomes WHERE outcome_id = $2)"
        " AND NOT EXISTS (SELECT 1 FROM closed_learners WHERE learner_id = $3)"
        " ON CONFLICT (outcome_id) DO NOTHING RETURNING true",
        case.id,
        case.outcome_id,
        case.learner_id,
        case.kind,
        case.title,
        case.credential_code,
        case.achieved_on,
        case.hours,
        case.status.value,
        case.reviewer_id,
        case.submitted_on,
        case.due_on,
        case.decided_at,
        case.reason,
        case.verified_credential_code,
        case.sequence,
    )
    if inserted:
        await append_step(conn, case.id, Step(case.status, case.learner_id, at, "submitted"))
    return bool(inserted)


async def remember_withdrawal(conn: Connection, outcome_id: str, at: datetime) -> None:
    await conn.execute(
        "INSERT INTO withdrawn_outcomes (outcome_id, withdrawn_at) VALUES ($1, $2)"
        " ON CONFLICT DO NOTHING",
        outcome_id,
        at,
    )


async def save_change(conn: Connection, before: Case, change: Change) -> bool:
    """Write a transition unless another one got there first (its sequence moved)."""
    after = change.case
    updated = await conn.fetchval(
        "UPDATE cases SET status = $3, reviewer_id = $4, due_on = $5, decided_at = $6,"
        " reason = $7, verified_credential_code = $8, sequence = $9,"
        " overdue_published_at = CASE WHEN $5 <> due_on THEN NULL ELSE overdue_published_at END"
        " WHERE id = $1 AND sequence = $2 RETURNING true",
        after.id,
        before.sequence,
        after.status.value,
        after.reviewer_id,
        after.due_on,
        after.decided_at,
        after.reason,
        after.verified_credential_code,
        after.sequence,
    )
    if updated:
        await append_step(conn, after.id, change.step)
    return bool(updated)


async def case_for_update(conn: Connection, case_id: str) -> Case | None:
    """The case, locked until the transaction ends; None for an unknown or malformed id."""
    ids = parse_uuids([case_id])
    if not ids:
        return None
    return await fetch_one(
        conn, Case, f"SELECT {COLUMNS} FROM cases WHERE id = $1 FOR UPDATE", ids[0]
    )


async def case_for_outcome_update(conn: Connection, outcome_id: str) -> Case | None:
    return await fetch_one(
        conn, Case, f"SELECT {COLUMNS} FROM cases WHERE outcome_id = $1 FOR UPDATE", outcome_id
    )


async def cases_by_id(conn: Connection, ids: list[str]) -> list[Case | None]:
    found = await _select(conn, "id = ANY($1::uuid[])", parse_uuids(ids))
    return one_per_key(ids, found, attrgetter("id"))


async def cases_by_outcome(conn: Connection, outcome_ids: list[str]) -> list[Case | None]:
    found = await _select(
        conn,
        "outcome_id = ANY($1::uuid[])",
        parse_uuids(outcome_ids),
    )
    return one_per_key(outcome_ids, found, attrgetter("outcome_id"))


async def learners_of_reviewer(
    conn: Connection, reviewer_id: str, learner_ids: list[str]
) -> set[str]:
    """Which of the learners the reviewer has a case for."""
    rows = await conn.fetch(
        f"SELECT learner_id FROM ({LEARNERS_WITH_A_CASE.format(reviewer='$1')}) tied"
        " WHERE learner_id = ANY($2::uuid[])",
        reviewer_id,
        parse_uuids(learner_ids),
    )
    return {str(row["learner_id"]) for row in rows}


async def queue(
    conn: Connection,
    status: CaseStatus | None,
    overdue_before: date | None,
    limit: int,
    reviewer_id: str | None,
    hide_closed: bool = False,
) -> list[Case]:
    """Cases in `status` (by default those waiting on a reviewer), oldest due
    first; with `overdue_before`, only those due earlier; with `reviewer_id`, only
    those of learners that reviewer has a case for; with `hide_closed`, none of a
    learner who closed their account."""
    args: list[object] = [limit]
    where = [OPEN_CONDITION]
    if status is not None:
        args.append(status.value)
        where = [f"status = ${len(args)}"]
    if overdue_before is not None:
        args.append(overdue_before)
        where.append(f"due_on < ${len(args)}")
    if reviewer_id is not None:
        args.append(reviewer_id)
        where.append(f"learner_id IN ({LEARNERS_WITH_A_CASE.format(reviewer=f'${len(args)}')})")
    if hide_closed:
        where.append("learner_closed_at IS NULL")
    return await _select(
        conn,
        f"{' AND '.join(where)} ORDER BY due_on, submitted_on, id LIMIT $1",
        *args,
    )


async def overdue_unannounced(conn: Connection, due_before: date) -> list[Case]:
    return await _select(
        conn,
        "status = ANY($1::text[]) AND due_on < $2"
        " AND overdue_published_at IS NULL ORDER BY due_on, id FOR UPDATE SKIP LOCKED",
        OPEN_STATUSES,
        due_before,
    )


async def mark_overdue_announced(conn: Connection, case_ids: list[str], at: datetime) -> None:
    await conn.execute(
        "UPDATE cases SET overdue_published_at = $2 WHERE id = ANY($1::uuid[])",
        parse_uuids(case_ids),
        at,
    )


QUEUE_ORDER = ("due_on", "id")
"""The paged queue's order: oldest due first, the id making it unique."""


def queue_key(case: Case) -> tuple[date, uuid.UUID]:
    """A case's place in the paged queue (its cursor holds it)."""
    return case.due_on, uuid.UUID(case.id)


def is_queue_key(key: tuple[object, ...]) -> bool:
    """Whether `key` (from a cursor) is a place in the paged queue: a day and an id."""
    if len(key) != len(QUEUE_ORDER):
        return False
    day, case_id = key
    return type(day) is date and isinstance(case_id, uuid.UUID)


def _queue_where(found: QueueFilter, args: list[object]) -> list[str]:
    """The conditions of `found`, each written so that an index serves it."""

    def arg(value: object) -> str:
        args.append(value)
        return f"${len(args)}"

    if found.statuses == OPEN:
        where = [OPEN_CONDITION]
    elif len(found.statuses) == 1:
        where = [f"status = {arg(next(iter(found.statuses)).value)}"]
    else:
        where = [f"status = ANY({arg(sorted(s.value for s in found.statuses))}::text[])"]
    if found.claimed_by is not None:
        where.append(f"reviewer_id = {arg(found.claimed_by)}")
    if found.unclaimed:
        where.append("reviewer_id IS NULL")
    if found.due_before is not None:
        where.append(f"due_on < {arg(found.due_before)}")
    if found.kind is not None:
        where.append(f"kind = {arg(found.kind.value)}")
    if found.learner_id is not None:
        where.append(f"learner_id = {arg(found.learner_id)}")
    if found.visible_to is not None:
        where.append(LEARNER_HAS_A_CASE_FOR.format(reviewer=arg(found.visible_to)))
    if found.hide_closed:
        where.append("learner_closed_at IS NULL")
    return where


async def queue_page(conn: Connection, found: QueueFilter, request: PageRequest) -> list[Case]:
    """The cases of `found` after the request's cursor, oldest due first, one more
    than the page (keyset: the last page costs what the first does)."""
    args: list[object] = []
    where = _queue_where(found, args)
    where.append(keyset(request, QUEUE_ORDER, args))
    args.append(request.limit)
    return await _select(
        conn,
        f"{' AND '.join(where)} {order_by(QUEUE_ORDER)} LIMIT ${len(args)}",
        *args,
    )


async def queue_count(conn: Connection, found: QueueFilter) -> int:
    args: list[object] = []
    where = _queue_where(found, args)
    count: int = await conn.fetchval(
        f"SELECT count(*) FROM cases WHERE {' AND '.join(where)}", *args
    )
    return count


async def open_cases_of_learner(conn: Connection, learner_id: str) -> list[Case]:
    """The learner's cases not yet final, locked until the transaction ends."""
    return await _select(
        conn,
        "learner_id = $1"
        " AND status NOT IN ('APPROVED', 'REJECTED', 'WITHDRAWN') ORDER BY id FOR UPDATE",
        learner_id,
    )


async def erase_learner(conn: Connection, learner_id: str, closed_at: datetime) -> None:
    """Mark the learner's cases closed and erase the title they gave their outcomes;
    decisions, dates and statuses stay for the figures."""
    await conn.execute(
        "UPDATE cases SET title = NULL,"
        " learner_closed_at = coalesce(learner_closed_at, $2) WHERE learner_id = $1",
        learner_id,
        closed_at,
    )


async def cases_of_learner(conn: Connection, learner_id: str) -> list[Case]:
    """Every case of the learner, oldest submitted first."""
    return await _select(
        conn,
        "learner_id = $1 ORDER BY submitted_on, id",
        learner_id,
    )


async def held_by(conn: Connection, reviewer_id: str) -> list[Case]:
    """The cases the reviewer holds in review, locked until the transaction ends."""
    return await _select(
        conn,
        "reviewer_id = $1 AND status = 'IN_REVIEW' ORDER BY id FOR UPDATE",
        reviewer_id,
    )
