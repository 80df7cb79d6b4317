"""Fixtures: the toy subgraphs, served in-process, composed, behind both gateways."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from strawberry.asgi import GraphQL

from gateway.compose import SubgraphSource, compose_supergraph
from gateway.tests.harness import GatewayPair, differential_gateways, serve_asgi
from gateway.tests.toy_reviews import reviews
from gateway.tests.toy_subgraphs import books, inventory, people

TOY_SCHEMAS = {"people": people, "books": books, "inventory": inventory, "reviews": reviews}


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def toy_supergraph() -> AsyncIterator[str]:
    """The toy subgraphs, running; yields their composed supergraph."""
    async with contextlib.AsyncExitStack() as stack:
        sources = []
        for name, schema in TOY_SCHEMAS.items():
            url = await stack.enter_async_context(serve_asgi(GraphQL(schema)))
            sources.append(SubgraphSource(name, f"{url}/graphql", schema.as_str()))
        yield compose_supergraph(sources)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def gateways(
    toy_supergraph: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[GatewayPair]:
    workdir: Path = tmp_path_factory.mktemp("toy-gateways")
    async with differential_gateways(toy_supergraph, workdir) as pair:
        yield pair
