"""The `feed` toy subgraph (subscriptions) composed with `people` and `books` behind our
gateway, served in-process: the `feed_system` fixture (conftest) starts it once."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from cbkit.auth import KeySet
from cbkit.testing import TestStack, eventually
from gateway.app import create_app
from gateway.compose import SubgraphSource, compose_supergraph
from gateway.edge.config import EdgeConfig
from gateway.supergraph import Supergraph
from gateway.tests.harness import serve_asgi
from gateway.tests.toy_feed import FEED, feed, feed_app
from gateway.tests.toy_subgraphs import books, people


class CountingApp:
    """Counts the WebSocket connections a subgraph was asked for, and their request ids."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.request_ids: list[str | None] = []

    @property
    def websockets(self) -> int:
        return len(self.request_ids)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            request_id = dict(scope["headers"]).get(b"x-request-id")
            self.request_ids.append(request_id.decode() if request_id else None)
        await self.app(scope, receive, send)


@dataclass(frozen=True)
class FeedSystem:
    url: str
    """The gateway's /graphql URL."""
    feed: CountingApp
    sdl: str
    config: EdgeConfig
    app: ASGIApp


@contextlib.asynccontextmanager
async def started_feed_system(toy_supergraph: str, stack: TestStack) -> AsyncIterator[FeedSystem]:
    urls = Supergraph(toy_supergraph).subgraph_urls
    counting = CountingApp(feed_app())
    async with contextlib.AsyncExitStack() as exits:
        feed_url = await exits.enter_async_context(serve_asgi(counting, websockets=True))
        sdl = compose_supergraph(
            [
                SubgraphSource("people", urls["people"], people.as_str()),
                SubgraphSource("books", urls["books"], books.as_str()),
                SubgraphSource("feed", f"{feed_url}/graphql", feed.as_str()),
            ]
        )
        config = EdgeConfig(keys=KeySet.from_jwks(orjson.loads(stack.jwks_file.read_bytes())))
        app = create_app(sdl, config=config)
        gateway_url = await exits.enter_async_context(serve_asgi(app, websockets=True))
        yield FeedSystem(f"{gateway_url}/graphql", counting, sdl, config, app)


async def listeners(count: int) -> None:
    """Wait until the feed has `count` subscribers."""

    async def reached() -> bool:
        return FEED.listeners == count

    await eventually(reached, within=5)
