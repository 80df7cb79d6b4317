"""The credit event feed, written from the events accounts consumes and read as a
live stream: first what the subscriber missed, then events as they are recorded,
woken by Postgres NOTIFY, so a subscriber on any replica sees every event."""

from __future__ import annotations

import asyncio
import bisect
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Mapping, Sequence
from datetime import datetime

import asyncpg

from cbkit.auth import Principal
from cbkit.clock import Clock
from cbkit.consumer import Handler
from cbkit.db import Connection
from cbkit.envelope import Event
from cbkit.tail import PAGE, Tail
from services.accounts.domain import access
from services.accounts.domain.feed import FEED_TYPES, FeedEntry
from services.accounts.repository import feed as feed_repository


def with_feed(handlers: Mapping[str, Handler]) -> dict[str, Handler]:
    """The handlers, each feed event also appended to the feed in the same transaction."""

    def appending(handler: Handler | None) -> Handler:
        async def handle(conn: Connection, event: Event) -> None:
            if handler is not None:
                await handler(conn, event)
            await feed_repository.append(conn, event)

        return handle

    return {**handlers, **{kind: appending(handlers.get(kind)) for kind in FEED_TYPES}}


class FeedListener:
    """One per process: reads each new feed row once (cbkit.tail) into a shared
    in-memory tail, and wakes every open stream, which then filters the tail
    instead of querying the database itself."""

    def __init__(self, database_url: str, pool: asyncpg.Pool, tail_size: int = 10_000) -> None:
        self._tail = Tail(
            database_url,
            pool,
            feed_repository.CHANNEL,
            feed_repository.last_position,
            feed_repository.all_entries_after,
            self._keep,
        )
        self._tail_size = tail_size
        self._waiters: set[asyncio.Event] = set()
        self._positions: list[int] = []
        self._entries: list[FeedEntry] = []
        self._floor = 0  # every row past the floor, up to the last read, is in the tail

    async def start(self) -> None:
        await self._tail.start()
        self._floor = self._tail.position

    async def close(self) -> None:
        await self._tail.close()

    @property
    def last_read(self) -> int:
        return self._positions[-1] if self._positions else self._floor

    def since(self, after: int) -> list[FeedEntry] | None:
        """The tail's entries past `after`, or None when `after` is older than the tail."""
        if after < self._floor:
            return None
        return self._entries[bisect.bisect_right(self._positions, after) :]

    def forget(self, learner_id: str) -> None:
        """Drop the learner's entries from the tail, as a closure drops them from the
        feed (this process's tail; another replica's ages out)."""
        kept = [e for e in self._entries if e.learner_id != learner_id]
        if len(kept) < len(self._entries):
            # the last position read stays the floor when nothing newer is kept
            self._floor = max(self._floor, self.last_read) if not kept else self._floor
            self._entries = kept
            self._positions = [e.position for e in kept]

    @contextlib.asynccontextmanager
    async def waiter(self) -> AsyncIterator[asyncio.Event]:
        wake = asyncio.Event()
        self._waiters.add(wake)
        try:
            yield wake
        finally:
            self._waiters.discard(wake)

    def _keep(self, entries: Sequence[FeedEntry]) -> None:
        self._positions.extend(e.position for e in entries)
        self._entries.extend(entries)
        self._trim()
        for waiter in self._waiters:
            waiter.set()

    def _trim(self) -> None:
        excess = len(self._entries) - self._tail_size
        if excess > self._tail_size // 10:
            self._floor = self._positions[excess - 1]
            del self._positions[:excess], self._entries[:excess]


async def stream(
    pool: asyncpg.Pool,
    listener: FeedListener,
    clock: Clock,
    viewer: Principal,
    after: int | None,
    types: list[str] | None,
) -> AsyncGenerator[FeedEntry, None]:
    """Every entry `viewer` may see past `after` (or from now on), in order, forever:
    from the database while behind the shared tail, then from the tail."""
    async with listener.waiter() as wake:
        if after is None:
            after = listener.last_read
        while True:
            wake.clear()
            tail = listener.since(after)
            if tail is None:
                visible, after = await _catch_up(pool, listener, clock, viewer, after, types)
            else:
                visible = await _visible(pool, clock, viewer, tail, types)
                after = tail[-1].position if tail else after
            for entry in visible:
                yield entry
            if tail is not None and not tail:
                await wake.wait()


async def _catch_up(
    pool: asyncpg.Pool,
    listener: FeedListener,
    clock: Clock,
    viewer: Principal,
    after: int,
    types: list[str] | None,
) -> tuple[list[FeedEntry], int]:
    """One page from the database while `after` is older than the tail, and the
    position it reaches."""
    async with pool.acquire() as conn:
        page = await feed_repository.entries_after(conn, viewer, after, types, clock.now(), PAGE)
    reached = page[-1].position if len(page) == PAGE else listener.last_read
    return [e for e in page if e.position <= reached], reached


async def _visible(
    pool: asyncpg.Pool,
    clock: Clock,
    viewer: Principal,
    entries: list[FeedEntry],
    types: list[str] | None,
) -> list[FeedEntry]:
    wanted = [e for e in entries if types is None or e.type in types]
    since: dict[str, datetime] = {}
    if wanted and access.consent_matters(viewer):
        async with pool.acquire() as conn:
            since = await feed_repository.consented_since(conn, viewer.account_id, clock.now())
    return [
        e
        for e in wanted
        if access.sees_credit_event(viewer, e.learner_id, e.occurred_at, since.get(e.learner_id))
    ]
