"""New messages as they are written, for `notificationAdded`: one reader per process
(cbkit.tail) reads each new message once by position and hands it to the open streams
of its account, so a subscriber on any replica hears every message of its own.
Messages are written in position order (`inbox.add` serialises them), so reading past
the last position seen misses none."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

import asyncpg

from cbkit.tail import Tail
from services.notifications.domain import Message
from services.notifications.repository import inbox


class InboxListener:
    """One per process: the messages written since it started, to their accounts' streams."""

    def __init__(self, database_url: str, pool: asyncpg.Pool) -> None:
        self._tail = Tail(
            database_url, pool, inbox.CHANNEL, inbox.last_position, inbox.after, self._hand_on
        )
        self._streams: dict[str, set[asyncio.Queue[Message]]] = {}

    async def start(self) -> None:
        await self._tail.start()

    async def close(self) -> None:
        await self._tail.close()

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

    def _hand_on(self, messages: Sequence[Message]) -> None:
        for message in messages:
            for queue in self._streams.get(message.account_id, ()):
                queue.put_nowait(message)
