"""The credit event feed, written from the events accounts consumes and read as a
live stream: first what the subscriber missed, then events as they are recorded,
woken by Postgres NOTIFY, so a subscriber on any replica sees every event."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping

import asyncpg

from cbkit.auth import Principal
from cbkit.consumer import Handler
from cbkit.db import Connection
from cbkit.envelope import Event
from services.accounts import feed_repository
from services.accounts.feed import FEED_TYPES, FeedEntry

log = logging.getLogger(__name__)

PAGE = 500
SAFETY_POLL_SECONDS = 2.0


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
    """One LISTEN connection per process; wakes every open stream when the feed grows."""

    def __init__(self, database_url: str) -> None:
        self._url = database_url
        self._conn: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()
        self._waiters: set[asyncio.Event] = set()

    async def _listen(self) -> None:
        async with self._lock:
            if self._conn is not None and not self._conn.is_closed():
                return
            try:
                self._conn = await asyncpg.connect(self._url)
                await self._conn.add_listener(feed_repository.CHANNEL, self._wake_all)
            except (OSError, asyncpg.PostgresError):
                log.warning("cannot listen for feed notifications; polling meanwhile")

    def _wake_all(self, *_: object) -> None:
        for waiter in self._waiters:
            waiter.set()

    @contextlib.asynccontextmanager
    async def waiter(self) -> AsyncIterator[asyncio.Event]:
        await self._listen()
        wake = asyncio.Event()
        self._waiters.add(wake)
        try:
            yield wake
        finally:
            self._waiters.discard(wake)

    async def wait(self, wake: asyncio.Event) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), SAFETY_POLL_SECONDS)
        await self._listen()

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()


async def stream(
    pool: asyncpg.Pool,
    listener: FeedListener,
    viewer: Principal,
    after: int | None,
    types: list[str] | None,
) -> AsyncIterator[FeedEntry]:
    """Every entry `viewer` may see past `after` (or from now on), in order, forever."""
    async with listener.waiter() as wake:
        if after is None:
            async with pool.acquire() as conn:
                after = await feed_repository.last_position(conn)
        while True:
            wake.clear()
            async with pool.acquire() as conn:
                entries = await feed_repository.entries_after(conn, viewer, after, types, PAGE)
            for entry in entries:
                yield entry
                after = entry.position
            if len(entries) < PAGE:
                await listener.wait(wake)
