"""SQL for outcomes and the evidence attached to them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg

from cbkit.db import Connection, parse_uuids
from services.outcomes.domain import EvidenceFile, Outcome, OutcomeKind, OutcomeStatus

COLUMNS = (
    "id, learner_id, kind, title, issuer, credential_code, achieved_on, hours, status,"
    " submitted_at, case_sequence"
)
# The outcome with its evidence in one row, so a batch of outcomes is one query.
SELECT = f"""
SELECT {", ".join(f"o.{c.strip()}" for c in COLUMNS.split(","))},
  COALESCE((SELECT json_agg(json_build_object(
                'id', e.id, 'owner_id', e.owner_id, 'filename', e.filename,
                'content_type', e.content_type, 'size', e.size, 'sha256', e.sha256)
              ORDER BY oe.position)
            FROM outcome_evidence oe JOIN evidence e ON e.id = oe.evidence_id
            WHERE oe.outcome_id = o.id), '[]'::json) AS evidence
FROM outcomes o
"""


def evidence_file(row: Any) -> EvidenceFile:
    return EvidenceFile(
        id=str(row["id"]),
        owner_id=str(row["owner_id"]),
        filename=row["filename"],
        content_type=row["content_type"],
        size=int(row["size"]),
        sha256=row["sha256"],
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
        evidence=tuple(evidence_file(e) for e in row["evidence"]),
        case_sequence=row["case_sequence"],
    )


async def lock_learner(conn: Connection, learner_id: str) -> None:
    """Serialise a learner's deposits until the transaction ends (duplicate checks)."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", learner_id)


async def insert_outcome(conn: Connection, outcome: Outcome) -> None:
    await conn.execute(
        f"INSERT INTO outcomes ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
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
        outcome.case_sequence,
    )
    await attach_evidence(conn, outcome.id, outcome.evidence, first_position=0)


async def attach_evidence(
    conn: Connection, outcome_id: str, evidence: Sequence[EvidenceFile], first_position: int
) -> None:
    await conn.executemany(
        "INSERT INTO outcome_evidence (outcome_id, evidence_id, position) VALUES ($1, $2, $3)",
        [
            (uuid.UUID(outcome_id), uuid.UUID(e.id), first_position + i)
            for i, e in enumerate(evidence)
        ],
    )


async def outcomes_by_id(conn: Connection, ids: list[str]) -> list[Outcome | None]:
    rows = await conn.fetch(f"{SELECT} WHERE o.id = ANY($1::uuid[])", parse_uuids(ids))
    found = {str(r["id"]): _outcome(r) for r in rows}
    return [found.get(i) for i in ids]


async def outcomes_by_learner(conn: Connection, learner_ids: list[str]) -> list[list[Outcome]]:
    rows = await conn.fetch(
        f"{SELECT} WHERE o.learner_id = ANY($1::uuid[]) ORDER BY o.submitted_at, o.id",
        parse_uuids(learner_ids),
    )
    grouped: dict[str, list[Outcome]] = {i: [] for i in learner_ids}
    for row in rows:
        grouped.setdefault(str(row["learner_id"]), []).append(_outcome(row))
    return [grouped[i] for i in learner_ids]


async def outcome_for_update(conn: Connection, outcome_id: str) -> Outcome | None:
    """The outcome, locked until the transaction ends; None when there is none."""
    ids = parse_uuids([outcome_id])
    if not ids:
        return None
    row = await conn.fetchrow(f"{SELECT} WHERE o.id = $1 FOR UPDATE OF o", ids[0])
    return _outcome(row) if row else None


async def set_status(
    conn: Connection, outcome_id: str, status: OutcomeStatus, case_sequence: int
) -> None:
    await conn.execute(
        "UPDATE outcomes SET status = $2, case_sequence = $3, status_changed_at = now()"
        " WHERE id = $1",
        uuid.UUID(outcome_id),
        status.value,
        case_sequence,
    )


async def insert_resubmission(conn: Connection, outcome_id: str, note: str) -> None:
    await conn.execute(
        "INSERT INTO resubmissions (outcome_id, note) VALUES ($1, $2)", uuid.UUID(outcome_id), note
    )
