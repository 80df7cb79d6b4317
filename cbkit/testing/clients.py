"""Clients as tests talk to a system: `gql` over HTTP, the graphql-transport-ws
`Subscription`, and `eventually` for what crosses the broker asynchronously."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Self

import httpx
import orjson
import websockets
from websockets.asyncio.client import ClientConnection
from websockets.typing import Subprotocol

from cbkit.envelope import Event


async def gql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
    path: str = "/graphql",
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """POST a GraphQL operation as a client would (with `headers` more, such as
    Accept-Language); the decoded answer."""
    sent = {**(headers or {}), **({"Authorization": f"Bearer {token}"} if token else {})}
    response = await client.post(
        path, json={"query": query, "variables": variables or {}}, headers=sent
    )
    body: dict[str, Any] = orjson.loads(response.content)
    return body


def error_code(answer: dict[str, Any]) -> tuple[str, str | None]:
    """The first error's code and the field it names, as a client reads them."""
    extensions = answer["errors"][0]["extensions"]
    return extensions["code"], extensions.get("field")


def new_id() -> str:
    return str(uuid.uuid4())


async def handled(client: httpx.AsyncClient, event: Event) -> None:
    """Wait until the service behind `client` (from `run_service`) has processed
    `event`, whatever it made of it: a marker that the event arrived."""
    pool = client.runtime.pool  # type: ignore[attr-defined]

    async def done() -> bool:
        async with pool.acquire() as conn:
            found = await conn.fetchval(
                "SELECT true FROM processed_events WHERE event_id = $1", event.id
            )
        return bool(found)

    await eventually(done)


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
    """Wait until `check()` is true: events cross the broker asynchronously."""
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {within}s")
        await asyncio.sleep(0.05)


class Subscription:
    """A graphql-transport-ws client, as the `graphql-ws` JS client speaks it."""

    def __init__(self, url: str, token: str | None = None, language: str | None = None) -> None:
        self._url = url.replace("http://", "ws://", 1)
        self._token = token
        self._language = language
        """Sent as `connection_init`'s `accept-language`, as the portal sends it."""
        self._socket: ClientConnection | None = None

    async def __aenter__(self) -> Self:
        self._socket = await websockets.connect(
            self._url, subprotocols=[Subprotocol("graphql-transport-ws")]
        )
        payload = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        if self._language:
            payload["accept-language"] = self._language
        await self._send({"type": "connection_init", "payload": payload})
        ack = await self._receive()
        if ack.get("type") != "connection_ack":
            raise AssertionError(f"connection refused: {ack}")
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._socket is not None
        await self._socket.close()

    async def renew(self, token: str) -> None:
        """Renew the connection's token with a graphql-transport-ws `ping` carrying it."""
        await self._send({"type": "ping", "payload": {"authorization": f"Bearer {token}"}})

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> None:
        message = {"query": query, "variables": variables or {}}
        await self._send({"id": "1", "type": "subscribe", "payload": message})

    async def next(self, within: float = 10.0) -> dict[str, Any]:
        """The next message for the subscription: its payload, or the error it ended with."""
        async with asyncio.timeout(within):
            while True:
                message = await self._receive()
                if message["type"] == "ping":
                    await self._send({"type": "pong"})
                    continue
                if message["type"] == "next":
                    payload: dict[str, Any] = message["payload"]
                    return payload
                return message

    async def _send(self, message: dict[str, Any]) -> None:
        assert self._socket is not None
        await self._socket.send(orjson.dumps(message).decode())

    async def _receive(self) -> dict[str, Any]:
        assert self._socket is not None
        message: dict[str, Any] = orjson.loads(await self._socket.recv())
        return message
