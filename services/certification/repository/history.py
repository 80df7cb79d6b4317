"""SQL for the steps of each case's history."""

from __future__ import annotations

from cbkit.db import Connection, all_per_key, from_row, parse_uuids
from services.certification.domain import Step


async def append_step(conn: Connection, case_id: str, step: Step) -> None:
    await conn.execute(
        "INSERT INTO case_history (case_id, status, by_id, at, note) VALUES ($1, $2, $3, $4, $5)",
        case_id,
        step.status.value,
        step.by_id,
        step.at,
        step.note,
    )


async def history_by_case(conn: Connection, case_ids: list[str]) -> list[list[Step]]:
    rows = await conn.fetch(
        "SELECT case_id, status, by_id, at, note FROM case_history"
        " WHERE case_id = ANY($1::uuid[]) ORDER BY id",
        parse_uuids(case_ids),
    )
    grouped = all_per_key(case_ids, rows, lambda row: str(row["case_id"]))
    return [[from_row(Step, row) for row in steps] for steps in grouped]


RESUBMITTED = "resubmitted"
"""What an erased resubmission note reads."""


async def erase_learner_notes(conn: Connection, learner_id: str) -> int:
    """Replace the notes the learner wrote when resubmitting (steps back to PENDING by
    the learner, but for the first, "submitted") with a neutral word; the history is
    append-only but for this erasure, which the transaction announces."""
    await conn.execute("SET LOCAL certification.erasure = 'on'")
    erased = await conn.execute(
        "UPDATE case_history h SET note = $2 FROM cases c"
        " WHERE c.id = h.case_id AND c.learner_id = $1 AND h.by_id = $1"
        " AND h.status = 'PENDING' AND h.note IS DISTINCT FROM 'submitted'"
        " AND h.note IS DISTINCT FROM $2",
        learner_id,
        RESUBMITTED,
    )
    await conn.execute("SET LOCAL certification.erasure = 'off'")
    return int(erased.split()[-1])


async def history_of_learner(conn: Connection, learner_id: str) -> list[tuple[str, Step]]:
    """Every step of the learner's cases, with the case's id, in order."""
    rows = await conn.fetch(
        "SELECT h.case_id, h.status, h.by_id, h.at, h.note FROM case_history h"
        " JOIN cases c ON c.id = h.case_id WHERE c.learner_id = $1 ORDER BY h.id",
        learner_id,
    )
    return [(str(row["case_id"]), from_row(Step, row)) for row in rows]
