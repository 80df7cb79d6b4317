"""Use cases on uploads: store one as it streams in, within the learner's quota, and
sweep away what never became part of a result."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from datetime import timedelta

import asyncpg

from cbkit.clock import Clock
from cbkit.db import Connection, lock
from services.outcomes import domain
from services.outcomes.domain import EvidenceFile
from services.outcomes.repository import evidence as store
from services.outcomes.service_layer.closures import require_open
from services.outcomes.service_layer.dependencies import Dependencies

CHUNK_BYTES = 512 * 1024
SNIFF_BYTES = 8


class EvidenceUpload:
    """One file arriving in pieces: checked, hashed and written in chunks as it
    comes, so memory holds at most one chunk whatever the file's size. Start one
    with `begin`."""

    def __init__(
        self, pool: asyncpg.Pool, deps: Dependencies, owner_id: str, filename: str, stored: int
    ) -> None:
        self.id = uuid.uuid4()
        self._pool = pool
        self._clock = deps.clock
        self._quota = deps.evidence_quota_bytes
        self._stored = stored  # by the owner when the upload began
        self._owner_id = owner_id
        self._filename = domain.clean_filename(filename)
        self._sha256 = hashlib.sha256()
        self._size = 0
        self._content_type: str | None = None
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._chunks = 0

    @classmethod
    async def begin(
        cls, pool: asyncpg.Pool, deps: Dependencies, owner_id: str, filename: str
    ) -> EvidenceUpload:
        async with pool.acquire() as conn:
            await require_open(conn, owner_id)
            stored = await store.stored_bytes(conn, owner_id)
        return cls(pool, deps, owner_id, filename, stored)

    async def write(self, data: bytes) -> None:
        if not data:
            return
        self._size += len(data)
        domain.check_size(self._size)
        domain.check_quota(self._stored, self._size, self._quota)
        self._sha256.update(data)
        self._pending.append(data)
        self._pending_size += len(data)
        if self._content_type is None and self._pending_size >= SNIFF_BYTES:
            self._content_type = domain.sniff(b"".join(self._pending)[:SNIFF_BYTES])
        if self._pending_size >= CHUNK_BYTES:
            await self._flush()

    async def finish(self) -> EvidenceFile:
        """The file, stored unless the owner's other uploads, finished meanwhile, leave
        no room for it."""
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
        async with self._pool.acquire() as conn, conn.transaction():
            await lock(conn, f"evidence-quota:{self._owner_id}")
            await require_open(conn, self._owner_id)  # closed while the file streamed in
            stored = await store.stored_bytes(conn, self._owner_id)
            domain.check_quota(stored, file.size, self._quota)
            await store.insert_evidence(conn, file, self._clock.now())
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
            await store.insert_chunk(conn, self.id, self._chunks, data, self._clock.now())
        self._chunks += 1


async def sweep_abandoned_uploads(conn: Connection, clock: Clock, after: timedelta) -> None:
    """Files attached to no result `after` their upload are deleted, and so are the
    chunks of uploads that never completed (a crash mid-stream): an upload still
    streaming is younger than that."""
    cutoff = clock.now() - after
    await store.delete_loose_files(conn, cutoff)
    await store.delete_unfinished_uploads(conn, cutoff)
