"""A subscription lives no longer than its token, unless the client refreshes the token
on the connection; a socket runs a bounded number of operations. On the toy `feed`."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import jwt

from cbkit.auth import Role
from cbkit.testing import TestStack
from gateway.app import create_app
from gateway.tests.feed_system import FeedSystem, listeners
from gateway.tests.harness import serve_asgi
from gateway.tests.removable_keys import RemovableKeys
from gateway.tests.toy_feed import FEED
from gateway.tests.ws_client import GraphQLWebSocket

EVENTS = (
    "subscription { bookEvents { id seenAuthorization book { author { seenAuthorization } } } }"
)


def short_lived(stack: TestStack, account: str, seconds: int = 2) -> str:
    return stack.token(account, Role.LEARNER, expires_in=timedelta(seconds=seconds))


async def until_expired(token: str) -> None:
    """Wait until the token's `exp` has passed."""
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    await asyncio.sleep(max(0.0, expires - time.time()) + 0.2)


async def refresh(socket: GraphQLWebSocket, token: str) -> None:
    await socket.send({"type": "ping", "payload": {"authorization": f"Bearer {token}"}})


async def test_the_socket_closes_4403_when_its_token_expires(
    feed_system: FeedSystem, stack: TestStack
) -> None:
    async with GraphQLWebSocket.initialised(feed_system.url, short_lived(stack, "l-1")) as socket:
        await socket.subscribe("s", EVENTS)
        await listeners(1)
        assert await socket.closed(within=5) == (4403, "token expired")
    await listeners(0)  # the upstream subscription went with it


async def test_a_refreshed_token_keeps_the_socket_open_and_reaches_every_subgraph(
    feed_system: FeedSystem, stack: TestStack
) -> None:
    first = short_lived(stack, "l-2")
    fresh = stack.token("l-2", Role.LEARNER)
    async with GraphQLWebSocket.initialised(feed_system.url, first) as socket:
        await socket.subscribe("s", EVENTS)
        await listeners(1)
        await refresh(socket, fresh)
        assert await socket.receive() == {"type": "pong"}
        await until_expired(first)
        FEED.publish("r-1", "lent", "b1")
        event = (await socket.receive())["payload"]["data"]["bookEvents"]
        assert event == {
            "id": "r-1",
            "seenAuthorization": f"Bearer {fresh}",  # the feed was given the fresh token
            "book": {"author": {"seenAuthorization": f"Bearer {fresh}"}},
        }
    await listeners(0)


async def test_a_subscription_started_after_a_refresh_is_opened_with_the_fresh_token(
    feed_system: FeedSystem, stack: TestStack
) -> None:
    fresh = stack.token("l-3", Role.LEARNER)
    async with GraphQLWebSocket.initialised(feed_system.url, short_lived(stack, "l-3")) as socket:
        await refresh(socket, fresh)
        assert await socket.receive() == {"type": "pong"}
        await socket.subscribe("s", EVENTS)
        await listeners(1)
        FEED.publish("r-2", "lent", "b2")
        event = (await socket.receive())["payload"]["data"]["bookEvents"]
        assert event["seenAuthorization"] == f"Bearer {fresh}"
    await listeners(0)


async def test_a_refresh_with_another_accounts_token_or_a_bad_one_closes_4403(
    feed_system: FeedSystem, stack: TestStack
) -> None:
    refusals = {
        "token for another account": stack.token("someone-else", Role.LEARNER),
        "token expired": stack.token("l-4", Role.LEARNER, expires_in=timedelta(seconds=-60)),
        "malformed token": "nonsense",
    }
    for reason, token in refusals.items():
        async with GraphQLWebSocket.initialised(
            feed_system.url, stack.token("l-4", Role.LEARNER)
        ) as socket:
            await socket.subscribe("s", EVENTS)
            await listeners(1)
            await refresh(socket, token)
            assert await socket.closed() == (4403, reason)
        await listeners(0)


async def test_an_anonymous_socket_cannot_be_given_an_account_by_a_refresh(
    feed_system: FeedSystem, stack: TestStack
) -> None:
    async with GraphQLWebSocket.initialised(feed_system.url) as socket:
        await refresh(socket, stack.token("l-5", Role.LEARNER))
        assert await socket.closed() == (4403, "token for another account")


async def test_a_socket_whose_token_lost_its_key_is_closed_4403(
    feed_system: FeedSystem, stack: TestStack
) -> None:
    keys = RemovableKeys.of(stack)
    app = create_app(feed_system.sdl, config=replace(feed_system.config, keys=keys))
    app.state.subscriptions.recheck_seconds = 0.2
    token = stack.token("l-6", Role.LEARNER)
    async with (
        serve_asgi(app, websockets=True) as url,
        GraphQLWebSocket.initialised(f"{url}/graphql", token) as socket,
    ):
        await socket.subscribe("s", EVENTS)
        await listeners(1)
        keys.remove(token)
        assert await socket.closed() == (4403, "token signed by an unknown key")
    await listeners(0)


@contextlib.asynccontextmanager
async def gateway_allowing(feed_system: FeedSystem, operations: int) -> AsyncIterator[str]:
    config = replace(feed_system.config, max_subscriptions_per_socket=operations)
    async with serve_asgi(create_app(feed_system.sdl, config=config), websockets=True) as url:
        yield f"{url}/graphql"


async def test_one_subscription_past_the_limit_gets_an_error_and_the_others_go_on(
    feed_system: FeedSystem,
) -> None:
    async with (
        gateway_allowing(feed_system, 2) as url,
        GraphQLWebSocket.initialised(url) as socket,
    ):
        for operation_id in ("a", "b", "c"):
            await socket.subscribe(operation_id, EVENTS)
        refused = await socket.receive()
        assert refused["id"] == "c" and refused["type"] == "error"
        (error,) = refused["payload"]
        assert error["extensions"] == {"code": "TOO_MANY_SUBSCRIPTIONS"}
        assert "already runs 2 operations" in error["message"]
        await listeners(2)
        FEED.publish("l-1", "lent", "b1")
        received = [await socket.receive(), await socket.receive()]
        assert sorted(m["id"] for m in received) == ["a", "b"]
        await socket.send({"id": "a", "type": "complete"})
        await listeners(1)
        await socket.subscribe("c", EVENTS)
        await listeners(2)
    await listeners(0)
