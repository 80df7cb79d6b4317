"""Trusted documents (CB_TRUSTED_DOCUMENTS) over the WebSocket at /graphql
(graphql-transport-ws), on the `feed` toy with `people` and `books`: a portal's socket
(its upgrade request's `Origin` names the gateway's host, or `Sec-Fetch-Site:
same-origin`, or its `connection_init` says `{"client": "portal"}`) runs only the
manifest's documents, subscriptions, queries and mutations alike; API clients run as
before; without the setting nothing changes."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from cbkit.auth import Role
from cbkit.testing import TestStack
from gateway.app import create_app
from gateway.tests.conftest import ToySubgraphs
from gateway.tests.feed_system import FeedSystem, listeners
from gateway.tests.harness import serve_asgi
from gateway.tests.test_trusted_documents import settings_with, sha256, write_manifest
from gateway.tests.toy_feed import FEED
from gateway.tests.ws_client import GraphQLWebSocket

COUNTDOWN = "subscription Countdown($start: Int!) { countdown(start: $start) }"
EVENTS = "subscription Events { bookEvents { id book { title author { name } } } }"
PERSON = "query Person($id: ID!) { person(id: $id) { name } }"
FREE_SUBSCRIPTION = "subscription { countdown(start: 1) }"
FREE_QUERY = '{ person(id: "p1") { name } }'
NOT_ALLOWED = [
    {
        "message": "only the portal's trusted documents run here",
        "extensions": {"code": "PERSISTED_QUERY_NOT_ALLOWED"},
    }
]
SIGNALS = ["same-origin Origin", "sec-fetch-site same-origin", "connection_init client"]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def trusted_ws(
    feed_system: FeedSystem, stack: TestStack, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """Our gateway over the feed system's subgraphs, configured from the environment
    with a manifest of COUNTDOWN, EVENTS and PERSON: its /graphql URL."""
    manifest = write_manifest(
        tmp_path_factory.mktemp("trusted-ws") / "docs.json", [COUNTDOWN, EVENTS, PERSON]
    )
    app = create_app(feed_system.sdl, config=settings_with(stack, manifest))
    async with serve_asgi(app, websockets=True) as url:
        yield f"{url}/graphql"


def origin_of(url: str) -> str:
    """The origin of the page the gateway at `url` serves (the portal's)."""
    return url.removesuffix("/graphql")


@contextlib.asynccontextmanager
async def portal_socket(
    url: str, signal: str, token: str | None = None
) -> AsyncIterator[GraphQLWebSocket]:
    """A socket the portal's page opens, acknowledged, made the portal's by `signal`."""
    headers = {
        "same-origin Origin": {"Origin": origin_of(url)},
        "sec-fetch-site same-origin": {"Sec-Fetch-Site": "same-origin"},
        "connection_init client": {},
    }[signal]
    payload: dict[str, Any] = {"Authorization": f"Bearer {token}"} if token else {}
    if signal == "connection_init client":
        payload["client"] = "portal"
    async with GraphQLWebSocket.open(url, headers=headers) as socket:
        await socket.send({"type": "connection_init", "payload": payload})
        ack = await socket.receive()
        assert ack["type"] == "connection_ack", ack
        yield socket


async def subscribe(socket: GraphQLWebSocket, operation_id: str, payload: dict[str, Any]) -> None:
    await socket.send({"id": operation_id, "type": "subscribe", "payload": payload})


def asked(feed_system: FeedSystem, toys: ToySubgraphs) -> tuple[int, int]:
    """Subscriptions the feed was asked for, HTTP requests the other subgraphs got."""
    return feed_system.feed.websockets, sum(len(app.requests) for app in toys.apps.values())


# The portal: trusted documents only


@pytest.mark.parametrize("signal", SIGNALS)
async def test_the_portal_runs_trusted_documents_by_id_over_the_socket(
    trusted_ws: str, stack: TestStack, signal: str
) -> None:
    token = stack.token("learner-1", Role.LEARNER)
    async with portal_socket(trusted_ws, signal, token) as socket:
        await subscribe(
            socket, "by-id", {"documentId": sha256(COUNTDOWN), "variables": {"start": 2}}
        )
        assert [await socket.receive() for _ in range(3)] == [
            {"id": "by-id", "type": "next", "payload": {"data": {"countdown": 2}}},
            {"id": "by-id", "type": "next", "payload": {"data": {"countdown": 1}}},
            {"id": "by-id", "type": "complete"},
        ]
        apollo = {"persistedQuery": {"version": 1, "sha256Hash": sha256(COUNTDOWN)}}
        await subscribe(socket, "by-hash", {"extensions": apollo, "variables": {"start": 1}})
        assert await socket.receive() == {
            "id": "by-hash",
            "type": "next",
            "payload": {"data": {"countdown": 1}},
        }
        assert await socket.receive() == {"id": "by-hash", "type": "complete"}
        # the text may come along when it is the manifest's; queries run by id too
        with_text = {
            "documentId": f"sha256:{sha256(PERSON)}",
            "query": PERSON,
            "variables": {"id": "p1"},
        }
        await subscribe(socket, "query", with_text)
        assert await socket.receive() == {
            "id": "query",
            "type": "next",
            "payload": {"data": {"person": {"name": "Ada"}}},
        }
        assert await socket.receive() == {"id": "query", "type": "complete"}


async def test_a_trusted_subscription_gets_its_events_with_other_subgraphs_fields(
    trusted_ws: str,
) -> None:
    async with portal_socket(trusted_ws, "same-origin Origin") as socket:
        await subscribe(socket, "events", {"documentId": sha256(EVENTS)})
        await listeners(1)
        FEED.publish("tw1", "lent", "b1")
        message = await socket.receive()
        assert message["id"] == "events" and message["type"] == "next"
        assert message["payload"]["data"]["bookEvents"]["id"] == "tw1"
        assert message["payload"]["data"]["bookEvents"]["book"]["author"] == {"name": "Ada"}
    await listeners(0)


@pytest.mark.parametrize("signal", SIGNALS)
async def test_anything_else_from_the_portal_gets_an_error_and_no_subgraph_is_asked(
    trusted_ws: str,
    feed_system: FeedSystem,
    toys: ToySubgraphs,
    stack: TestStack,
    signal: str,
) -> None:
    token = stack.token("learner-1", Role.LEARNER)
    unknown = sha256(FREE_SUBSCRIPTION)
    refused: dict[str, dict[str, Any]] = {
        "free subscription": {"query": FREE_SUBSCRIPTION},
        "free query": {"query": FREE_QUERY},
        "free mutation": {"query": "mutation { noSuchMutation }"},
        "unknown id": {"documentId": unknown},
        "unknown hash": {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": unknown}}},
        "registering a hash": {
            "query": FREE_SUBSCRIPTION,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": unknown}},
        },
        "another text with a trusted id": {
            "documentId": sha256(COUNTDOWN),
            "query": FREE_SUBSCRIPTION,
        },
    }
    async with portal_socket(trusted_ws, signal, token) as socket:
        toys.forget_requests()
        before = asked(feed_system, toys)
        for operation_id, payload in refused.items():
            await subscribe(socket, operation_id, payload)
            assert await socket.receive() == {
                "id": operation_id,
                "type": "error",
                "payload": NOT_ALLOWED,
            }
        assert asked(feed_system, toys) == before
        # the socket stays open and runs trusted documents
        await subscribe(
            socket, "trusted", {"documentId": sha256(COUNTDOWN), "variables": {"start": 1}}
        )
        assert (await socket.receive())["payload"] == {"data": {"countdown": 1}}


# API clients: as before


@pytest.mark.parametrize("origin", [None, "https://partner.example", "null"])
async def test_api_clients_run_any_operation_over_the_socket(
    trusted_ws: str, stack: TestStack, origin: str | None
) -> None:
    token = stack.token("learner-1", Role.LEARNER)
    headers = {"Origin": origin} if origin else None
    async with GraphQLWebSocket.initialised(trusted_ws, token, headers=headers) as socket:
        await socket.subscribe("free", FREE_SUBSCRIPTION)
        assert (await socket.receive())["payload"] == {"data": {"countdown": 1}}
        assert await socket.receive() == {"id": "free", "type": "complete"}
        await socket.subscribe("query", FREE_QUERY)
        assert (await socket.receive())["payload"] == {"data": {"person": {"name": "Ada"}}}
        assert await socket.receive() == {"id": "query", "type": "complete"}
        # they may name a trusted document by id too; an unknown one is refused
        await subscribe(
            socket, "by-id", {"documentId": sha256(COUNTDOWN), "variables": {"start": 1}}
        )
        assert (await socket.receive())["payload"] == {"data": {"countdown": 1}}
        assert await socket.receive() == {"id": "by-id", "type": "complete"}
        unknown = sha256(FREE_SUBSCRIPTION)
        await subscribe(socket, "unknown", {"documentId": unknown})
        error = await socket.receive()
        assert (error["id"], error["type"]) == ("unknown", "error")
        assert error["payload"][0]["extensions"] == {"code": "PERSISTED_QUERY_NOT_FOUND"}
        assert unknown in error["payload"][0]["message"]
        apollo = {"persistedQuery": {"version": 1, "sha256Hash": unknown}}
        await subscribe(socket, "apq", {"extensions": apollo})
        assert await socket.receive() == {
            "id": "apq",
            "type": "error",
            "payload": [
                {
                    "message": "PersistedQueryNotFound",
                    "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
                }
            ],
        }


async def test_a_client_other_than_portal_in_connection_init_is_an_api_client(
    trusted_ws: str,
) -> None:
    async with GraphQLWebSocket.open(trusted_ws) as socket:
        await socket.send({"type": "connection_init", "payload": {"client": "partner-app"}})
        assert (await socket.receive())["type"] == "connection_ack"
        await socket.subscribe("free", FREE_SUBSCRIPTION)
        assert (await socket.receive())["payload"] == {"data": {"countdown": 1}}


# Without CB_TRUSTED_DOCUMENTS


async def test_without_the_setting_the_portals_socket_runs_any_operation(
    feed_system: FeedSystem,
) -> None:
    async with portal_socket(feed_system.url, "connection_init client") as socket:
        await socket.subscribe("free", FREE_SUBSCRIPTION)
        assert (await socket.receive())["payload"] == {"data": {"countdown": 1}}
    headers = {"Origin": origin_of(feed_system.url)}
    async with GraphQLWebSocket.initialised(feed_system.url, headers=headers) as socket:
        await socket.subscribe("free", FREE_SUBSCRIPTION)
        assert (await socket.receive())["payload"] == {"data": {"countdown": 1}}
        # a document named only by its hash is a malformed `subscribe`, as before
        await subscribe(socket, "by-id", {"documentId": sha256(COUNTDOWN)})
        assert await socket.closed() == (4400, 'Invalid message received: "subscribe" payload')
