"""Postgres LISTEN on a connection of its own, watched and re-established at once when it
is lost, so a waiter is woken by NOTIFY and, while the database is away, by its own
timeout.

A connection the server ends (a failover, a restart, `pg_terminate_backend`) wakes the
waiter at once through asyncpg's termination callback: it reconnects and reads what was
sent meanwhile, instead of sleeping out its poll deaf. A connection that dies silently
(a half-open socket) is found by a cheap query each time a wait times out."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg

log = logging.getLogger(__name__)

CLOSE_SECONDS = 5.0
CHECK_SECONDS = 2.0
"""How long the cheap liveness query may take before the connection is given up."""
RETRY_SECONDS = 0.5
"""How soon a waiter tries again to LISTEN when the database refused it."""


class Listener:
    def __init__(self, database_url: str, channel: str) -> None:
        self._url = database_url
        self._channel = channel
        self._conn: asyncpg.Connection | None = None
        self._notified = asyncio.Event()
        self.connects = 0
        """How many times the LISTEN connection was (re)established."""

    @property
    def listening(self) -> bool:
        """Whether NOTIFY reaches this listener now."""
        return self._conn is not None and not self._conn.is_closed()

    async def wait(self, timeout: float) -> None:  # noqa: ASYNC109 - a bounded poll, by design
        """Until a NOTIFY on the channel arrives (or arrived since the last wait), the
        connection is lost, or `timeout` seconds pass; (re)connects first when the
        connection is gone."""
        if not await self._listen():
            timeout = min(timeout, RETRY_SECONDS)
        # asyncio.timeout, not wait_for: Python 3.11's wait_for can swallow the task's
        # cancellation when the event arrives at the same moment, and a loop around it
        # then never stops
        try:
            async with asyncio.timeout(timeout):
                await self._notified.wait()
        except TimeoutError:
            await self._check()
        self._notified.clear()

    def wake(self) -> None:
        """End the wait under way (or the next one) at once."""
        self._notified.set()

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.remove_termination_listener(self._on_lost)
            with contextlib.suppress(OSError, asyncpg.PostgresError, TimeoutError):
                await conn.close(timeout=CLOSE_SECONDS)

    async def _listen(self) -> bool:
        """LISTEN unless already listening; whether NOTIFY now reaches us."""
        if self.listening:
            return True
        self._conn = None
        try:
            conn = await asyncpg.connect(self._url, timeout=CLOSE_SECONDS)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            log.warning("cannot LISTEN on %s; polling meanwhile", self._channel, exc_info=True)
            return False
        try:
            await conn.add_listener(self._channel, self._on_notify)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            log.warning("cannot LISTEN on %s; polling meanwhile", self._channel, exc_info=True)
            conn.terminate()
            return False
        conn.add_termination_listener(self._on_lost)
        self._conn = conn
        self.connects += 1
        if self.connects > 1:
            log.info("LISTEN on %s re-established", self._channel)
        self._notified.set()  # whatever was sent while we were away is read now
        return True

    async def _check(self) -> None:
        """A cheap query on a connection that was quiet a whole timeout: one that does
        not answer is dropped, and the next wait connects again."""
        conn = self._conn
        if conn is None or conn.is_closed():
            return
        try:
            await conn.fetchval("SELECT 1", timeout=CHECK_SECONDS)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
            log.warning("LISTEN on %s no longer answers; reconnecting", self._channel)
            conn.terminate()
            self._conn = None

    def _on_notify(self, *_: object) -> None:
        self._notified.set()

    def _on_lost(self, *_: object) -> None:
        """The server ended the connection: wake the waiter so that it listens again now."""
        if self._conn is not None:
            log.warning("LISTEN on %s lost; reconnecting", self._channel)
        self._notified.set()
