"""Subscriptions over graphql-transport-ws through the gateway, on the toy subgraphs:
`feed` owns the subscriptions, its events point at `books` and `people` entities."""

from __future__ import annotations

from datetime import timedelta

import httpx
import orjson
import pytest
from websockets.typing import Subprotocol

from cbkit.auth import Role
from cbkit.testing import TestStack
from gateway.app import create_app
from gateway.tests.conftest import ToySubgraphs
from gateway.tests.feed_system import FeedSystem, listeners
from gateway.tests.harness import serve_asgi
from gateway.tests.log_lines import logged
from gateway.tests.toy_feed import FEED
from gateway.tests.toy_subgraphs import BOOKS, PEOPLE
from gateway.tests.ws_client import GraphQLWebSocket

EVENTS = """subscription Events($kinds: [String!]) {
  bookEvents(kinds: $kinds) { id kind book { isbn title author { name } } seenAuthorization }
}"""


def expected_event(event_id: str, kind: str, isbn: str, token: str) -> dict[str, object]:
    book = BOOKS[isbn]
    return {
        "data": {
            "bookEvents": {
                "id": event_id,
                "kind": kind,
                "book": {
                    "isbn": isbn,
                    "title": book.title,
                    "author": {"name": PEOPLE[book.author].name},
                },
                "seenAuthorization": f"Bearer {token}",
            }
        }
    }


async def test_each_event_gets_the_fields_of_other_subgraphs(
    feed_system: FeedSystem, stack: TestStack
) -> None:
    token = stack.token("learner-1", Role.LEARNER)
    async with GraphQLWebSocket.initialised(feed_system.url, token) as socket:
        await socket.subscribe("s1", EVENTS)
        await listeners(1)
        FEED.publish("e1", "shelved", "b1")
        FEED.publish("e2", "lent", "b2")
        first, second = await socket.receive(), await socket.receive()
        assert first == {
            "id": "s1",
            "type": "next",
            "payload": expected_event("e1", "shelved", "b1", token),
        }
        assert second == {
            "id": "s1",
            "type": "next",
            "payload": expected_event("e2", "lent", "b2", token),
        }
        await socket.send({"id": "s1", "type": "complete"})
        await listeners(0)  # the gateway closed its subscription to the feed


async def test_the_connection_request_id_reaches_the_feed_and_every_entity_fetch(
    feed_system: FeedSystem, toys: ToySubgraphs
) -> None:
    headers = {"X-Request-Id": "socket-7"}
    async with GraphQLWebSocket.initialised(feed_system.url, headers=headers) as socket:
        toys.forget_requests()
        await socket.subscribe("s7", EVENTS)
        await listeners(1)
        FEED.publish("e7", "shelved", "b2")
        assert (await socket.receive())["type"] == "next"
    await listeners(0)
    assert feed_system.feed.request_ids[-1] == "socket-7"
    fetched = [toys.apps[name].requests for name in ("books", "people")]
    assert [[r.headers.get("x-request-id") for r in requests] for requests in fetched] == [
        ["socket-7"],
        ["socket-7"],
    ]


async def test_variables_aliases_fragments_and_the_token_on_entity_fetches(
    feed_system: FeedSystem, stack: TestStack
) -> None:
    token = stack.token("learner-2", Role.LEARNER)
    query = """subscription ($kinds: [String!]) {
      e: bookEvents(kinds: $kinds) {
        ... on BookEvent { k: kind }
        book { ...B author { seenAuthorization } }
        __typename
      }
    }
    fragment B on Book { t: title }"""
    async with GraphQLWebSocket.initialised(feed_system.url, token) as socket:
        await socket.subscribe("only-returns", query, {"kinds": ["returned"]})
        await listeners(1)
        FEED.publish("e3", "lent", "b1")
        FEED.publish("e4", "returned", "b3")
        message = await socket.receive()
        assert message["payload"] == {
            "data": {
                "e": {
                    "k": "returned",
                    "book": {
                        "t": "Kernels",
                        "author": {"seenAuthorization": f"Bearer {token}"},
                    },
                    "__typename": "BookEvent",
                }
            }
        }
    await listeners(0)  # disconnecting ends the upstream subscription too


async def test_subgraph_errors_of_an_event_come_with_the_event(
    feed_system: FeedSystem, stack: TestStack
) -> None:
    query = "subscription { bookEvents { id book { author { name email } } } }"
    async with GraphQLWebSocket.initialised(feed_system.url) as socket:
        await socket.subscribe("1", query)
        await listeners(1)
        FEED.publish("e5", "lent", "b1")  # b1 is Ada's (p1), whose email is public
        FEED.publish("e6", "lent", "b4")  # b4's author p9 does not exist: author null
        ok, orphan = (await socket.receive())["payload"], (await socket.receive())["payload"]
        assert ok == {
            "data": {
                "bookEvents": {
                    "id": "e5",
                    "book": {"author": {"name": PEOPLE["p1"].name, "email": "ada@example.org"}},
                }
            }
        }
        assert orphan["data"] is None or orphan["data"]["bookEvents"]["book"] is None
        assert orphan.get("errors") or orphan.get("extensions", {}).get("valueCompletion")


async def test_upstream_complete_and_error_end_the_subscription(feed_system: FeedSystem) -> None:
    async with GraphQLWebSocket.initialised(feed_system.url) as socket:
        await socket.subscribe("count", "subscription { countdown(start: 2) }")
        assert [await socket.receive() for _ in range(3)] == [
            {"id": "count", "type": "next", "payload": {"data": {"countdown": 2}}},
            {"id": "count", "type": "next", "payload": {"data": {"countdown": 1}}},
            {"id": "count", "type": "complete"},
        ]
        await socket.subscribe("fail", "subscription { failing }")
        assert await socket.receive() == {
            "id": "fail",
            "type": "next",
            "payload": {"data": {"failing": 1}},
        }
        broke = await socket.receive()
        assert broke["payload"]["data"] is None
        assert broke["payload"]["errors"][0]["message"] == "the feed broke"
        assert broke["payload"]["errors"][0]["extensions"]["serviceName"] == "feed"
        assert await socket.receive() == {"id": "fail", "type": "complete"}
        await socket.subscribe("refused", "subscription { refused }")
        assert await socket.receive() == {  # upstream `error`: the subscription ends with it
            "id": "refused",
            "type": "error",
            "payload": [
                {
                    "message": "not for you",
                    "path": ["refused"],
                    "extensions": {"code": "DOWNSTREAM_SERVICE_ERROR", "serviceName": "feed"},
                }
            ],
        }
        # the id can be used again once the subscription ended
        await socket.subscribe("count", "subscription { countdown(start: 1) }")
        assert (await socket.receive())["payload"] == {"data": {"countdown": 1}}


async def test_invalid_operations_get_an_error_message(feed_system: FeedSystem) -> None:
    before = feed_system.feed.websockets
    async with GraphQLWebSocket.initialised(feed_system.url) as socket:
        await socket.subscribe("two", "subscription { countdown(start: 1) failing }")
        two = await socket.receive()
        assert two["type"] == "error" and two["id"] == "two"
        assert two["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "must select only one top level field" in two["payload"][0]["message"]
        await socket.subscribe("var", "subscription ($n: Int!) { countdown(start: $n) }")
        var = await socket.receive()
        assert (
            var["type"] == "error" and var["payload"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        )
        await socket.subscribe("q", "{ feedListeners }")
        assert await socket.receive() == {
            "id": "q",
            "type": "next",
            "payload": {"data": {"feedListeners": 0}},
        }
        assert await socket.receive() == {"id": "q", "type": "complete"}
    assert feed_system.feed.websockets == before  # refused at the gateway


async def test_subscriptions_over_http_are_refused(feed_system: FeedSystem) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            feed_system.url, json={"query": "subscription { countdown(start: 1) }"}
        )
    assert response.status_code == 400
    assert "WebSocket" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("which", "reason"),
    [("expired", "token expired"), ("tampered", "invalid token"), ("not a jwt", "malformed token")],
)
async def test_a_bad_token_closes_4403_with_the_reason_before_any_subgraph_is_asked(
    feed_system: FeedSystem, stack: TestStack, which: str, reason: str
) -> None:
    token = {
        "expired": stack.token("x", Role.LEARNER, expires_in=timedelta(seconds=-120)),
        "tampered": stack.token("x", Role.LEARNER)[:-4] + "AAAA",
        "not a jwt": "nonsense",
    }[which]
    before = feed_system.feed.websockets
    async with GraphQLWebSocket.open(feed_system.url) as socket:
        await socket.send({"type": "connection_init", "payload": {"token": token}})
        assert await socket.closed() == (4403, reason)
    assert feed_system.feed.websockets == before


async def test_protocol_violations_close_with_their_codes(feed_system: FeedSystem) -> None:
    url = feed_system.url
    async with GraphQLWebSocket.open(url) as socket:
        await socket.subscribe("1", "subscription { countdown(start: 1) }")
        assert await socket.closed() == (4401, "Unauthorized")
    async with GraphQLWebSocket.initialised(url) as socket:
        await socket.send({"type": "connection_init"})
        assert await socket.closed() == (4429, "Too many initialisation requests")
    async with GraphQLWebSocket.initialised(url) as socket:
        await socket.subscribe("dup", EVENTS)
        await listeners(1)
        await socket.subscribe("dup", EVENTS)
        assert await socket.closed() == (4409, "Subscriber for dup already exists")
    await listeners(0)
    for bad in ({"type": "next", "id": "1"}, {"id": "1"}, {"type": "subscribe", "id": "1"}):
        async with GraphQLWebSocket.initialised(url) as socket:
            await socket.send(bad)
            code, _reason = await socket.closed()
            assert code == 4400, bad
    async with GraphQLWebSocket.initialised(url) as socket:
        await socket.connection.send("{not json")
        assert (await socket.closed())[0] == 4400
    async with GraphQLWebSocket.open(url, [Subprotocol("graphql-ws")]) as socket:
        assert await socket.closed() == (4406, "Subprotocol not acceptable")


async def test_ping_pong_and_the_init_timeout(feed_system: FeedSystem) -> None:
    async with GraphQLWebSocket.open(feed_system.url) as socket:
        await socket.send({"type": "ping", "payload": {"n": 1}})
        assert await socket.receive() == {"type": "pong", "payload": {"n": 1}}
        await socket.send({"type": "pong"})  # unsolicited pongs are fine
    endpoint = feed_system.app.state.subscriptions  # type: ignore[attr-defined]
    endpoint.init_timeout = 0.2
    try:
        async with GraphQLWebSocket.open(feed_system.url) as socket:
            assert await socket.closed() == (4408, "Connection initialisation timeout")
    finally:
        endpoint.init_timeout = 3.0


async def test_an_unreachable_subgraph_ends_the_subscription_with_an_error_without_its_address(
    feed_system: FeedSystem,
) -> None:
    app = create_app(feed_system.sdl, {"feed": "http://127.0.0.1:9/graphql"}, feed_system.config)
    headers = {"X-Request-Id": "socket-down"}
    with logged("gateway") as lines:
        async with (
            serve_asgi(app, websockets=True) as base,
            GraphQLWebSocket.initialised(f"{base}/graphql", headers=headers) as socket,
        ):
            await socket.subscribe("1", "subscription { countdown(start: 1) }")
            message = await socket.receive()
    assert message["type"] == "error" and message["id"] == "1"
    (error,) = message["payload"]
    assert error == {
        "message": "The subscription ended: a service is unavailable (request id socket-down)",
        "extensions": {
            "code": "SUBSCRIPTION_ENDED",
            "serviceName": "feed",
            "requestId": "socket-down",
        },
    }
    (line,) = [orjson.loads(line) for line in lines]
    assert line["request_id"] == "socket-down" and "127.0.0.1" in line["message"]
