"""New messages as they are written, for `notificationAdded`: one reader per process
LISTENs (cbkit.listen), reads each new message once by position and hands it to the
open streams of its account, so a subscriber on any replica hears every message of
its own. Messages are written in position order (`inbox.add` serialises them), so
reading past the last position seen misses none."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import asyncpg

from cbkit.listen import Listener
from services.notifications.domain import Message
from services.notifications.repository import inbox

log = logging.getLogger(__name__)

PAGE = 500
SAFETY_POLL_SECONDS = 2.0


class InboxListener:
    """One per process: the messages written since it started, to their accounts' streams."""

    def __init__(self, database_url: str, pool: asyncpg.Pool) -> None:
        self._listener = Listener(database_url, inbox.CHANNEL)
        self._pool = pool
        self._streams: dict[str, set[asyncio.Queue[Message]]] = {}
        self._last = 0
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        async with self._pool.acquire() as conn:
            self._last = await inbox.last_position(conn)
        self._reader = asyncio.create_task(self._read_forever(), name="inbox-reader")

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self._listener.close()

    def streams_of(self, account_id: str) -> int:
        """How many streams of the account are open here."""
        return len(self._streams.get(account_id, ()))

    async def stream(self, account_id: str) -> AsyncIterator[Message]:
        """The account's messages written from now on, in order, until the caller stops."""
        queue: asyncio.Queue[Message] = asyncio.Queue()
        self._streams.setdefault(account_id, set()).add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            streams = self._streams.get(account_id, set())
            streams.discard(queue)
            if not streams:
                self._streams.pop(account_id, None)

    async def _read_forever(self) -> None:
        while True:
            await self._listener.wait(SAFETY_POLL_SECONDS)
            try:
                await self._read_new()
            except (OSError, asyncpg.PostgresError):
                log.warning("cannot read new messages; retrying", exc_info=True)

    async def _read_new(self) -> None:
        while True:
            async with self._pool.acquire() as conn:
                found = await inbox.after(conn, self._last, PAGE)
            for message in found:
                self._last = message.position
                for queue in self._streams.get(message.account_id, ()):
                    queue.put_nowait(message)
            if len(found) < PAGE:
                return
