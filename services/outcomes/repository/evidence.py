"""SQL for evidence files: their bytes in chunks, their description, who holds them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cbkit.db import Connection, arguments, from_row, parse_uuids
from services.outcomes.domain import ACTIVE, EvidenceFile, Holdings

EVIDENCE_COLUMNS = "id, owner_id, filename, content_type, size, sha256"
ACTIVE_STATUSES = [s.value for s in ACTIVE]


@dataclass(frozen=True)
class StoredEvidence:
    file: EvidenceFile
    chunks: int
    attached: bool  # to any result, whatever its status


async def insert_chunk(
    conn: Connection, upload_id: uuid.UUID, seq: int, data: bytes, at: datetime
) -> None:
    await conn.execute(
        "INSERT INTO evidence_chunks (upload_id, seq, data, created_at) VALUES ($1, $2, $3, $4)",
        upload_id,
        seq,
        data,
        at,
    )


async def delete_chunks(conn: Connection, upload_id: uuid.UUID) -> None:
    await conn.execute("DELETE FROM evidence_chunks WHERE upload_id = $1", upload_id)


async def insert_evidence(conn: Connection, file: EvidenceFile, uploaded_at: datetime) -> None:
    await conn.execute(
        f"INSERT INTO evidence ({EVIDENCE_COLUMNS}, uploaded_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        *arguments(file, EVIDENCE_COLUMNS),
        uploaded_at,
    )


async def stored_bytes(conn: Connection, owner_id: str) -> int:
    """What the files `owner_id` stores add up to, attached to a result or not."""
    total = await conn.fetchval(
        "SELECT COALESCE(sum(size), 0) FROM evidence WHERE owner_id = $1", owner_id
    )
    return int(total)


async def evidence_by_ids(conn: Connection, ids: Sequence[str]) -> dict[str, EvidenceFile]:
    """The files, held until the transaction ends so the sweep cannot take them while
    they join a result."""
    rows = await conn.fetch(
        f"SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE id = ANY($1::uuid[]) FOR SHARE",
        parse_uuids(ids),
    )
    return {str(r["id"]): from_row(EvidenceFile, r) for r in rows}


async def holdings(
    conn: Connection, learner_id: str, evidence_ids: Sequence[str], hashes: Sequence[str]
) -> Holdings:
    """Which of `evidence_ids`, and which contents among `hashes`, the learner's
    active results hold."""
    rows = await conn.fetch(
        "SELECT e.id, e.sha256, o.title FROM outcomes o"
        " JOIN outcome_evidence oe ON oe.outcome_id = o.id"
        " JOIN evidence e ON e.id = oe.evidence_id"
        " WHERE o.learner_id = $1 AND o.status = ANY($2::text[])"
        " AND (e.id = ANY($3::uuid[]) OR e.sha256 = ANY($4::text[]))",
        uuid.UUID(learner_id),
        ACTIVE_STATUSES,
        parse_uuids(evidence_ids),
        list(hashes),
    )
    return Holdings(
        attached={str(r["id"]): r["title"] for r in rows},
        hashes={r["sha256"]: r["title"] for r in rows if r["sha256"] in hashes},
    )


async def stored_evidence(conn: Connection, evidence_id: str) -> StoredEvidence | None:
    ids = parse_uuids([evidence_id])
    if not ids:
        return None
    row = await conn.fetchrow(
        f"SELECT {EVIDENCE_COLUMNS},"
        " (SELECT count(*) FROM evidence_chunks c WHERE c.upload_id = e.id) AS chunks,"
        " EXISTS (SELECT 1 FROM outcome_evidence oe WHERE oe.evidence_id = e.id) AS attached"
        " FROM evidence e WHERE id = $1",
        ids[0],
    )
    if row is None:
        return None
    return StoredEvidence(from_row(EvidenceFile, row), row["chunks"], row["attached"])


async def chunk(conn: Connection, evidence_id: str, seq: int) -> bytes:
    data: bytes = await conn.fetchval(
        "SELECT data FROM evidence_chunks WHERE upload_id = $1 AND seq = $2",
        uuid.UUID(evidence_id),
        seq,
    )
    return data


async def delete_loose_files(conn: Connection, uploaded_before: datetime) -> None:
    """Files uploaded before then and attached to no result go, with their bytes; a
    file a deposit holds at this moment (evidence_by_ids) is left for the next sweep."""
    await conn.execute(
        "WITH loose AS (SELECT id FROM evidence e WHERE uploaded_at < $1"
        " AND NOT EXISTS (SELECT 1 FROM outcome_evidence oe WHERE oe.evidence_id = e.id)"
        " FOR UPDATE SKIP LOCKED),"
        " gone AS (DELETE FROM evidence WHERE id IN (SELECT id FROM loose) RETURNING id)"
        " DELETE FROM evidence_chunks WHERE upload_id IN (SELECT id FROM gone)",
        uploaded_before,
    )


async def delete_unfinished_uploads(conn: Connection, written_before: datetime) -> None:
    """Chunks of uploads that never completed (a crash mid-stream) are dropped."""
    await conn.execute(
        "DELETE FROM evidence_chunks c WHERE c.created_at < $1"
        " AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.id = c.upload_id)",
        written_before,
    )
