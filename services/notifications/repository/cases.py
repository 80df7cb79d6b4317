"""SQL for the review cases followed for their deadlines: one row per outcome, saved
whole after each step, the ones whose reminder is due, and a learner's forgotten
(their results' titles taken out of the case messages too)."""

from __future__ import annotations

from datetime import date

from cbkit.db import Connection, fetch_one, from_row
from services.notifications.domain import AboutType
from services.notifications.domain.deadlines import CaseState, ReviewCase

COLUMNS = (
    "outcome_id, learner_id, state, case_id, reviewer_id, due_on, remind_on, sequence,"
    " reminded_for, reminded_to"
)


async def for_update(conn: Connection, outcome_id: str) -> ReviewCase | None:
    """The outcome's case, locked until the transaction ends."""
    return await fetch_one(
        conn,
        ReviewCase,
        f"SELECT {COLUMNS} FROM review_cases WHERE outcome_id = $1 FOR UPDATE",
        outcome_id,
    )


async def save(conn: Connection, case: ReviewCase) -> None:
    await conn.execute(
        f"INSERT INTO review_cases ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        " ON CONFLICT (outcome_id) DO UPDATE SET state = excluded.state,"
        " case_id = excluded.case_id, reviewer_id = excluded.reviewer_id,"
        " due_on = excluded.due_on, remind_on = excluded.remind_on,"
        " sequence = excluded.sequence, reminded_for = excluded.reminded_for,"
        " reminded_to = excluded.reminded_to",
        case.outcome_id,
        case.learner_id,
        case.state.value,
        case.case_id,
        case.reviewer_id,
        case.due_on,
        case.remind_on,
        case.sequence,
        case.reminded_for,
        case.reminded_to,
    )


async def to_remind(conn: Connection, today: date, limit: int) -> list[ReviewCase]:
    """Cases waiting on a reviewer whose reminder day has come and whose due day has
    not passed, not yet reminded of that due day to whoever holds them now (a case
    the admins were reminded of, claimed since: its reviewer); locked, skipping those
    another transaction holds."""
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM review_cases WHERE state = $1 AND remind_on <= $2"
        " AND due_on >= $2"
        " AND (due_on IS DISTINCT FROM reminded_for OR reviewer_id IS DISTINCT FROM reminded_to)"
        " ORDER BY remind_on, outcome_id LIMIT $3 FOR UPDATE SKIP LOCKED",
        CaseState.WAITING.value,
        today,
        limit,
    )
    return [from_row(ReviewCase, r) for r in rows]


async def mark_reminded(conn: Connection, case: ReviewCase) -> None:
    await conn.execute(
        "UPDATE review_cases SET reminded_for = $2, reminded_to = $3 WHERE outcome_id = $1",
        case.outcome_id,
        case.due_on,
        case.reviewer_id,
    )


async def release(conn: Connection, reviewer_id: str) -> None:
    """The reviewer closed their account: the cases they held wait unclaimed again."""
    await conn.execute(
        "UPDATE review_cases SET reviewer_id = NULL WHERE reviewer_id = $1 AND state = $2",
        reviewer_id,
        CaseState.WAITING.value,
    )


async def forget_learner(conn: Connection, learner_id: str) -> None:
    """Forget the learner's cases, and take their results' titles out of the messages
    reviewers and admins got about them."""
    await conn.execute(
        "UPDATE messages SET params = params - 'result' WHERE about_type = $2"
        " AND params ? 'result' AND about_id IN"
        " (SELECT outcome_id::text FROM review_cases WHERE learner_id = $1)",
        learner_id,
        AboutType.CASE.value,
    )
    await conn.execute("DELETE FROM review_cases WHERE learner_id = $1", learner_id)
