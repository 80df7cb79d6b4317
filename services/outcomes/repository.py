"""SQL for outcomes."""

from __future__ import annotations

import uuid

import asyncpg

from cbkit.db import Connection, parse_uuids
from services.outcomes.domain import Outcome, OutcomeKind, OutcomeStatus

COLUMNS = (
    "id, learner_id, kind, title, issuer, credential_code, achieved_on, hours, status, submitted_at"
)


def _outcome(row: asyncpg.Record) -> Outcome:
    return Outcome(
        id=str(row["id"]),
        learner_id=str(row["learner_id"]),
        kind=OutcomeKind(row["kind"]),
        title=row["title"],
        issuer=row["issuer"],
        credential_code=row["credential_code"],
        achieved_on=row["achieved_on"],
        hours=row["hours"],
        status=OutcomeStatus(row["status"]),
        submitted_at=row["submitted_at"],
    )


async def insert_outcome(conn: Connection, outcome: Outcome) -> Outcome:
    row = await conn.fetchrow(
        f"INSERT INTO outcomes ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        f" RETURNING {COLUMNS}",
        uuid.UUID(outcome.id),
        uuid.UUID(outcome.learner_id),
        outcome.kind.value,
        outcome.title,
        outcome.issuer,
        outcome.credential_code,
        outcome.achieved_on,
        outcome.hours,
        outcome.status.value,
        outcome.submitted_at,
    )
    assert row is not None
    return _outcome(row)


async def outcomes_by_id(conn: Connection, ids: list[str]) -> list[Outcome | None]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM outcomes WHERE id = ANY($1::uuid[])", parse_uuids(ids)
    )
    found = {str(r["id"]): _outcome(r) for r in rows}
    return [found.get(i) for i in ids]


async def outcomes_by_learner(conn: Connection, learner_ids: list[str]) -> list[list[Outcome]]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM outcomes WHERE learner_id = ANY($1::uuid[])"
        " ORDER BY submitted_at, id",
        parse_uuids(learner_ids),
    )
    grouped: dict[str, list[Outcome]] = {i: [] for i in learner_ids}
    for row in rows:
        grouped.setdefault(str(row["learner_id"]), []).append(_outcome(row))
    return [grouped[i] for i in learner_ids]
