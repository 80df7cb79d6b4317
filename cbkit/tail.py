"""A table read as it is written: one reader per process LISTENs on the table's channel
(cbkit.listen), reads the rows past its position a page at a time, in position order,
and hands each page on, so every replica reads every row once. Rows are written in
position order (their writers serialise), so reading past the last position read misses
none; a NOTIFY lost while the database was away is made up by the safety poll."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, Protocol, TypeVar

import asyncpg

from cbkit.db import Connection
from cbkit.listen import Listener

log = logging.getLogger(__name__)

PAGE = 500
SAFETY_POLL_SECONDS = 2.0


class Positioned(Protocol):
    @property
    def position(self) -> int: ...


Row = TypeVar("Row", bound=Positioned)


class Tail(Generic[Row]):
    """Woken by NOTIFY on `channel`, reads `after(conn, position, limit)` from the last
    position read (when started, `last_position(conn)`) and gives each non-empty page,
    in order, to `deliver`."""

    def __init__(
        self,
        database_url: str,
        pool: asyncpg.Pool,
        channel: str,
        last_position: Callable[[Connection], Awaitable[int]],
        after: Callable[[Connection, int, int], Awaitable[Sequence[Row]]],
        deliver: Callable[[Sequence[Row]], None],
    ) -> None:
        self._listener = Listener(database_url, channel)
        self._pool = pool
        self._last_position = last_position
        self._after = after
        self._deliver = deliver
        self._name = f"{channel}-reader"
        self._reader: asyncio.Task[None] | None = None
        self.position = 0
        """The last row's position read (at start, the table's last)."""

    async def start(self) -> None:
        async with self._pool.acquire() as conn:
            self.position = await self._last_position(conn)
        self._reader = asyncio.create_task(self._read_forever(), name=self._name)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self._listener.close()

    async def _read_forever(self) -> None:
        while True:
            await self._listener.wait(SAFETY_POLL_SECONDS)
            try:
                await self._read_new()
            except (OSError, asyncpg.PostgresError):
                log.warning("%s cannot read new rows; retrying", self._name, exc_info=True)

    async def _read_new(self) -> None:
        while True:
            async with self._pool.acquire() as conn:
                rows = await self._after(conn, self.position, PAGE)
            if rows:
                self.position = rows[-1].position
                self._deliver(rows)
            if len(rows) < PAGE:
                return
