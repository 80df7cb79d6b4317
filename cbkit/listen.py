"""Postgres LISTEN on a connection of its own, reconnected whenever it is lost, so a
waiter is woken by NOTIFY and, while the database is away, by its own timeout."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg

log = logging.getLogger(__name__)

CLOSE_SECONDS = 5.0


class Listener:
    def __init__(self, database_url: str, channel: str) -> None:
        self._url = database_url
        self._channel = channel
        self._conn: asyncpg.Connection | None = None
        self._notified = asyncio.Event()

    async def wait(self, timeout: float) -> None:  # noqa: ASYNC109 - a bounded poll, by design
        """Until a NOTIFY on the channel arrives (or arrived since the last wait), or
        `timeout` seconds pass; (re)connects first when the connection is gone."""
        await self._listen()
        # asyncio.timeout, not wait_for: Python 3.11's wait_for can swallow the task's
        # cancellation when the event arrives at the same moment, and a loop around it
        # then never stops
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._notified.wait()
        self._notified.clear()

    async def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError, asyncpg.PostgresError, TimeoutError):
                await self._conn.close(timeout=CLOSE_SECONDS)
            self._conn = None

    async def _listen(self) -> None:
        if self._conn is not None and not self._conn.is_closed():
            return
        try:
            self._conn = await asyncpg.connect(self._url)
            await self._conn.add_listener(self._channel, self._on_notify)
            self._notified.set()  # whatever was sent while we were away is read now
        except (OSError, asyncpg.PostgresError):
            log.warning("cannot LISTEN on %s; polling meanwhile", self._channel, exc_info=True)

    def _on_notify(self, *_: object) -> None:
        self._notified.set()
