"""SQL for review cases and the outcomes withdrawn before their case opened."""

from __future__ import annotations

from datetime import date, datetime
from operator import attrgetter

import asyncpg

from cbkit.db import Connection, from_row, one_per_key, parse_uuids
from services.certification.domain import OPEN, Case, CaseStatus, Change, Step
from services.certification.repository.history import append_step

COLUMNS = (
    "id, outcome_id, learner_id, kind, title, credential_code, achieved_on, hours, status,"
    " reviewer_id, submitted_on, due_on, decided_at, reason, verified_credential_code, sequence"
)
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


def _cases(rows: list[asyncpg.Record]) -> list[Case]:
    return [from_row(Case, row) for row in rows]


async def insert_case(conn: Connection, case: Case, at: datetime) -> bool:
    """Store a new case; False when the outcome already has one or was withdrawn."""
    inserted = await conn.fetchval(
        f"INSERT INTO cases ({COLUMNS})"
        " SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16"
        " WHERE NOT EXISTS (SELECT 1 FROM withdrawn_outcomes WHERE outcome_id = $2)"
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
    row = await conn.fetchrow(f"SELECT {COLUMNS} FROM cases WHERE id = $1 FOR UPDATE", ids[0])
    return from_row(Case, row) if row else None


async def case_for_outcome_update(conn: Connection, outcome_id: str) -> Case | None:
    row = await conn.fetchrow(
        f"SELECT {COLUMNS} FROM cases WHERE outcome_id = $1 FOR UPDATE", outcome_id
    )
    return from_row(Case, row) if row else None


async def cases_by_id(conn: Connection, ids: list[str]) -> list[Case | None]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM cases WHERE id = ANY($1::uuid[])", parse_uuids(ids)
    )
    return one_per_key(ids, _cases(rows), attrgetter("id"))


async def cases_by_outcome(conn: Connection, outcome_ids: list[str]) -> list[Case | None]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM cases WHERE outcome_id = ANY($1::uuid[])",
        parse_uuids(outcome_ids),
    )
    return one_per_key(outcome_ids, _cases(rows), attrgetter("outcome_id"))


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
) -> list[Case]:
    """Cases in `status` (by default those waiting on a reviewer), oldest due
    first; with `overdue_before`, only those due earlier; with `reviewer_id`, only
    those of learners that reviewer has a case for."""
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
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM cases WHERE {' AND '.join(where)}"
        " ORDER BY due_on, submitted_on, id LIMIT $1",
        *args,
    )
    return _cases(rows)


async def overdue_unannounced(conn: Connection, due_before: date) -> list[Case]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM cases WHERE status = ANY($1::text[]) AND due_on < $2"
        " AND overdue_published_at IS NULL ORDER BY due_on, id FOR UPDATE SKIP LOCKED",
        OPEN_STATUSES,
        due_before,
    )
    return _cases(rows)


async def mark_overdue_announced(conn: Connection, case_ids: list[str], at: datetime) -> None:
    await conn.execute(
        "UPDATE cases SET overdue_published_at = $2 WHERE id = ANY($1::uuid[])",
        parse_uuids(case_ids),
        at,
    )
