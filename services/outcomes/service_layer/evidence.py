"""Use cases on stored evidence files: who may read one, and its bytes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg

from cbkit.auth import Principal
from cbkit.clock import Clock
from cbkit.db import Connection
from cbkit.errors import NotFound
from services.outcomes.domain import access
from services.outcomes.repository import evidence as store
from services.outcomes.service_layer.readers import grounds


async def readable_evidence(
    conn: Connection, clock: Clock, viewer: Principal, evidence_id: str
) -> store.StoredEvidence:
    """The file if `viewer` may read it (domain/access.py), else the refusal."""
    stored = await store.stored_evidence(conn, evidence_id)
    if stored is None:
        raise NotFound(
            f'no evidence with id "{evidence_id}"',
            field="id",
            zh=f"没有 id 为“{evidence_id}”的证明文件",
        )
    owner = stored.file.owner_id
    [owner_grounds] = await grounds(conn, clock, viewer, [owner])
    access.require_evidence(viewer, owner, stored.attached, owner_grounds)
    return stored


async def evidence_bytes(pool: asyncpg.Pool, stored: store.StoredEvidence) -> AsyncIterator[bytes]:
    """The file's bytes, a chunk at a time, each read on its own connection."""
    for seq in range(stored.chunks):
        async with pool.acquire() as conn:
            yield await store.chunk(conn, stored.file.id, seq)
