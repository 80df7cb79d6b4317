"""SQL for outcomes and the evidence attached to them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg

from cbkit.db import Connection, all_per_key, from_row, one_per_key, parse_uuids
from services.outcomes.domain import EvidenceFile, Outcome, OutcomeStatus

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


def _outcome(row: asyncpg.Record) -> Outcome:
    evidence = tuple(from_row(EvidenceFile, e) for e in row["evidence"])
    return from_row(Outcome, row, evidence=evidence)


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
    return one_per_key(ids, map(_outcome, rows), key=lambda o: o.id)


async def outcomes_by_learner(conn: Connection, learner_ids: list[str]) -> list[list[Outcome]]:
    rows = await conn.fetch(
        f"{SELECT} WHERE o.learner_id = ANY($1::uuid[]) ORDER BY o.submitted_at, o.id",
        parse_uuids(learner_ids),
    )
    return all_per_key(learner_ids, map(_outcome, rows), key=lambda o: o.learner_id)


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
