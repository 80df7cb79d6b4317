"""SQL for review cases and their history."""

from __future__ import annotations

import uuid

import asyncpg

from cbkit.db import Connection, parse_uuids
from services.certification.domain import Case, CaseStatus, Step

COLUMNS = (
    "id, outcome_id, learner_id, kind, title, credential_code, achieved_on, hours, status,"
    " reviewer_id, submitted_on, due_on, decided_at, reason, verified_credential_code"
)


def _text(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None


def _case(row: asyncpg.Record) -> Case:
    return Case(
        id=str(row["id"]),
        outcome_id=str(row["outcome_id"]),
        learner_id=str(row["learner_id"]),
        kind=row["kind"],
        title=row["title"],
        credential_code=row["credential_code"],
        achieved_on=row["achieved_on"],
        hours=row["hours"],
        status=CaseStatus(row["status"]),
        reviewer_id=_text(row["reviewer_id"]),
        submitted_on=row["submitted_on"],
        due_on=row["due_on"],
        decided_at=row["decided_at"],
        reason=row["reason"],
        verified_credential_code=row["verified_credential_code"],
    )


async def insert_case(conn: Connection, case: Case) -> bool:
    """Store a new case; False when the outcome already has one."""
    inserted = await conn.fetchval(
        f"INSERT INTO cases ({COLUMNS}) VALUES"
        " ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        " ON CONFLICT (outcome_id) DO NOTHING RETURNING true",
        uuid.UUID(case.id),
        uuid.UUID(case.outcome_id),
        uuid.UUID(case.learner_id),
        case.kind,
        case.title,
        case.credential_code,
        case.achieved_on,
        case.hours,
        case.status.value,
        uuid.UUID(case.reviewer_id) if case.reviewer_id else None,
        case.submitted_on,
        case.due_on,
        case.decided_at,
        case.reason,
        case.verified_credential_code,
    )
    if inserted:
        await append_step(conn, case.id, case.status, None, "submitted")
    return bool(inserted)


async def append_step(
    conn: Connection, case_id: str, status: CaseStatus, by_id: str | None, note: str | None
) -> None:
    await conn.execute(
        "INSERT INTO case_history (case_id, status, by_id, note) VALUES ($1, $2, $3, $4)",
        uuid.UUID(case_id),
        status.value,
        uuid.UUID(by_id) if by_id else None,
        note,
    )


async def cases_by_id(conn: Connection, ids: list[str]) -> list[Case | None]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM cases WHERE id = ANY($1::uuid[])", parse_uuids(ids)
    )
    found = {str(r["id"]): _case(r) for r in rows}
    return [found.get(i) for i in ids]


async def cases_by_outcome(conn: Connection, outcome_ids: list[str]) -> list[Case | None]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM cases WHERE outcome_id = ANY($1::uuid[])",
        parse_uuids(outcome_ids),
    )
    found = {str(r["outcome_id"]): _case(r) for r in rows}
    return [found.get(i) for i in outcome_ids]


async def history_by_case(conn: Connection, case_ids: list[str]) -> list[list[Step]]:
    rows = await conn.fetch(
        "SELECT case_id, status, by_id, at, note FROM case_history"
        " WHERE case_id = ANY($1::uuid[]) ORDER BY id",
        parse_uuids(case_ids),
    )
    grouped: dict[str, list[Step]] = {i: [] for i in case_ids}
    for r in rows:
        step = Step(CaseStatus(r["status"]), _text(r["by_id"]), r["at"], r["note"])
        grouped.setdefault(str(r["case_id"]), []).append(step)
    return [grouped[i] for i in case_ids]
