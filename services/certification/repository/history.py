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
