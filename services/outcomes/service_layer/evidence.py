"""Use cases on evidence files: store an upload as it streams in, read one back."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator

import asyncpg

from cbkit.auth import Principal
from cbkit.db import Connection
from cbkit.errors import NotFound
from services.outcomes import domain
from services.outcomes.domain import EvidenceFile, access
from services.outcomes.repository import evidence as store
from services.outcomes.service_layer.consents import consented

CHUNK_BYTES = 512 * 1024
SNIFF_BYTES = 8
# An upload still streaming is younger than this; older chunks without a file are debris.
ABANDONED_UPLOAD_HOURS = 6


class EvidenceUpload:
    """One file arriving in pieces: checked, hashed and written in chunks as it
    comes, so memory holds at most one chunk whatever the file's size."""

    def __init__(self, pool: asyncpg.Pool, owner_id: str, filename: str) -> None:
        self.id = uuid.uuid4()
        self._pool = pool
        self._owner_id = owner_id
        self._filename = domain.clean_filename(filename)
        self._sha256 = hashlib.sha256()
        self._size = 0
        self._content_type: str | None = None
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._chunks = 0

    async def write(self, data: bytes) -> None:
        if not data:
            return
        self._size += len(data)
        domain.check_size(self._size)
        self._sha256.update(data)
        self._pending.append(data)
        self._pending_size += len(data)
        if self._content_type is None and self._pending_size >= SNIFF_BYTES:
            self._content_type = domain.sniff(b"".join(self._pending)[:SNIFF_BYTES])
        if self._pending_size >= CHUNK_BYTES:
            await self._flush()

    async def finish(self) -> EvidenceFile:
        domain.check_size(self._size)
        if self._content_type is None:
            self._content_type = domain.sniff(b"".join(self._pending))
        await self._flush()
        file = EvidenceFile(
            id=str(self.id),
            owner_id=self._owner_id,
            filename=self._filename,
            content_type=self._content_type,
            size=self._size,
            sha256=self._sha256.hexdigest(),
        )
        async with self._pool.acquire() as conn:
            await store.insert_evidence(conn, file)
        return file

    async def abort(self) -> None:
        """Drop what was written; shielded so a cancelled request still cleans up."""
        self._pending.clear()
        if self._chunks:
            await asyncio.shield(self._delete_chunks())

    async def _delete_chunks(self) -> None:
        async with self._pool.acquire() as conn:
            await store.delete_chunks(conn, self.id)

    async def _flush(self) -> None:
        if not self._pending:
            return
        data = b"".join(self._pending)
        self._pending.clear()
        self._pending_size = 0
        async with self._pool.acquire() as conn:
            await store.insert_chunk(conn, self.id, self._chunks, data)
        self._chunks += 1


async def readable_evidence(
    conn: Connection, viewer: Principal, evidence_id: str
) -> store.StoredEvidence:
    """The file if `viewer` may read it (domain/access.py), else not found."""
    stored = await store.stored_evidence(conn, evidence_id)
    if stored is not None:
        owner = stored.file.owner_id
        allowed = await consented(conn, viewer, owner)
        if access.may_read_evidence(viewer, owner, stored.attached, allowed):
            return stored
    raise NotFound(f'no evidence with id "{evidence_id}" that you may read')


async def evidence_bytes(pool: asyncpg.Pool, stored: store.StoredEvidence) -> AsyncIterator[bytes]:
    """The file's bytes, a chunk at a time, each read on its own connection."""
    for seq in range(stored.chunks):
        async with pool.acquire() as conn:
            yield await store.chunk(conn, stored.file.id, seq)


async def sweep_abandoned_uploads(conn: Connection) -> None:
    await store.sweep_abandoned_uploads(conn, ABANDONED_UPLOAD_HOURS)
