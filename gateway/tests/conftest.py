"""Fixtures: the toy subgraphs, served in-process, composed, behind both gateways."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import pytest_asyncio
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.asgi import GraphQL

from cbkit.testing import RunningSystem, TestStack
from gateway.compose import SUPERGRAPH_PATH, SubgraphSource, compose_supergraph
from gateway.tests.feed_system import FeedSystem, started_feed_system
from gateway.tests.harness import (
    GatewayPair,
    apollo_gateway,
    differential_gateways,
    serve_asgi,
)
from gateway.tests.toy_inventory import inventory
from gateway.tests.toy_reviews import reviews
from gateway.tests.toy_subgraphs import books, people
from gateway.tests.world import World, seed_world, write_supergraph

TOY_SCHEMAS = {"people": people, "books": books, "inventory": inventory, "reviews": reviews}


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any] = field(default_factory=dict)
    """The JSON body (of a GraphQL POST); empty for other requests."""

    @property
    def authorization(self) -> str | None:
        return self.headers.get("authorization")


@dataclass
class RecordingApp:
    """Wraps a subgraph app to remember the HTTP requests it got."""

    app: ASGIApp
    requests: list[RecordedRequest] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        recorded = RecordedRequest(scope["path"], headers)
        self.requests.append(recorded)
        chunks: list[bytes] = []

        async def recording_receive() -> Message:
            message = await receive()
            chunks.append(message.get("body", b""))
            json = headers.get("content-type", "").startswith("application/json")
            if not message.get("more_body") and json:
                recorded.body = orjson.loads(b"".join(chunks))
            return message

        await self.app(scope, recording_receive, send)


@dataclass(frozen=True)
class ToySubgraphs:
    supergraph: str
    apps: dict[str, RecordingApp]

    def forget_requests(self) -> None:
        for app in self.apps.values():
            app.requests.clear()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def toys() -> AsyncIterator[ToySubgraphs]:
    """The toy subgraphs, running, and their composed supergraph."""
    async with contextlib.AsyncExitStack() as stack:
        sources, apps = [], {}
        for name, schema in TOY_SCHEMAS.items():
            apps[name] = RecordingApp(GraphQL(schema))
            url = await stack.enter_async_context(serve_asgi(apps[name]))
            sources.append(SubgraphSource(name, f"{url}/graphql", schema.as_str()))
        yield ToySubgraphs(compose_supergraph(sources), apps)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def feed_system(toys: ToySubgraphs, stack: TestStack) -> AsyncIterator[FeedSystem]:
    """Our gateway over the `feed` toy (subscriptions), `people` and `books`."""
    async with started_feed_system(toys.supergraph, stack) as system:
        yield system


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def gateways(
    toys: ToySubgraphs, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[GatewayPair]:
    workdir: Path = tmp_path_factory.mktemp("toy-gateways")
    async with differential_gateways(toys.supergraph, workdir) as pair:
        yield pair


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def world(running_system: RunningSystem) -> World:
    """The reference story, seeded once through the running gateway."""
    return await seed_world(running_system.gateway, running_system.url("outcomes"), tag=".gw")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def system_gateways(
    running_system: RunningSystem, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[GatewayPair]:
    """The running system's gateway (ours, a process) and Apollo Gateway on the same
    subgraphs: the committed supergraph with the running services' URLs."""
    urls = {name: f"{running_system.url(name)}/graphql" for name in RunningSystem.SERVICES}
    path = tmp_path_factory.mktemp("system-gateways") / "supergraph.graphql"
    write_supergraph(path, SUPERGRAPH_PATH.read_text(), urls)
    async with apollo_gateway(path) as apollo, httpx.AsyncClient(timeout=30) as client:
        yield GatewayPair(running_system.gateway, apollo, client)
