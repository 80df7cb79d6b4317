"""The `feed` toy subgraph: subscriptions whose events point at entities of other toys.

`bookEvents` yields what tests publish on `FEED`; its events carry a `Book` (key isbn,
owned by `books`, whose author is a `Person` of `people`), so every event needs
`_entities` jumps. `countdown` completes by itself; `failing` errs after one event; `refused`
refuses before any. `feed_app()` serves it as subgraphs are asked to: a `ping` whose
payload carries `authorization` replaces the connection's token, so later events see it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any

import strawberry
from strawberry.asgi import GraphQL
from strawberry.federation.schema_directives import FieldSet, Key
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import PingMessage
from strawberry.types import Info


@dataclass
class Broadcast:
    """Events published by tests, delivered to every subscriber listening at the time."""

    queues: list[asyncio.Queue[tuple[str, str, str]]] = field(default_factory=list)

    @property
    def listeners(self) -> int:
        return len(self.queues)

    def publish(self, event_id: str, kind: str, isbn: str) -> None:
        for queue in self.queues:
            queue.put_nowait((event_id, kind, isbn))


FEED = Broadcast()


@strawberry.federation.type(
    directives=[Key(fields=FieldSet("isbn"), resolvable=False)], name="Book"
)
class FeedBook:
    isbn: strawberry.ID


@strawberry.type
class BookEvent:
    id: strawberry.ID
    kind: str
    book: FeedBook
    seen_authorization: str | None


@strawberry.type
class FeedQuery:
    @strawberry.field
    def feed_listeners(self) -> int:
        return FEED.listeners


@strawberry.type
class FeedSubscription:
    @strawberry.subscription
    async def book_events(
        self, info: Info, kinds: list[str] | None = None
    ) -> AsyncGenerator[BookEvent, None]:
        params = info.context.get("connection_params") or {}
        queue: asyncio.Queue[tuple[str, str, str]] = asyncio.Queue()
        FEED.queues.append(queue)
        try:
            while True:
                event_id, kind, isbn = await queue.get()
                if kinds is None or kind in kinds:
                    yield BookEvent(
                        id=strawberry.ID(event_id),
                        kind=kind,
                        book=FeedBook(isbn=strawberry.ID(isbn)),
                        seen_authorization=params.get("Authorization"),
                    )
        finally:
            FEED.queues.remove(queue)

    @strawberry.subscription
    async def countdown(self, start: int) -> AsyncGenerator[int, None]:
        for value in range(start, 0, -1):
            yield value

    @strawberry.subscription
    async def failing(self) -> AsyncGenerator[int, None]:
        yield 1
        raise ValueError("the feed broke")

    @strawberry.subscription
    async def refused(self) -> AsyncGenerator[int, None]:
        """Refuses before any event: the subgraph answers `error`, not `next`."""
        raise PermissionError("not for you")


feed = strawberry.federation.Schema(
    query=FeedQuery, subscription=FeedSubscription, types=[FeedBook]
)


class RefreshingHandler(BaseGraphQLTransportWSHandler[Any, Any]):
    """graphql-transport-ws, plus the token refresh the gateway passes on in a `ping`."""

    async def handle_ping(self, message: PingMessage) -> None:
        payload = message.get("payload") or {}
        params = self.context.get("connection_params")
        if "authorization" in payload and isinstance(params, dict):
            params["Authorization"] = payload["authorization"]
        await super().handle_ping(message)


class FeedApp(GraphQL[Any, Any]):
    graphql_transport_ws_handler_class = RefreshingHandler


def feed_app() -> FeedApp:
    return FeedApp(feed)
