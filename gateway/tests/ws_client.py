"""A graphql-transport-ws client for tests and benchmarks, as the graphql-ws JS client
speaks it: no hiding of protocol messages, so tests can see every frame and close code."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

PROTOCOL = Subprotocol("graphql-transport-ws")

Message = dict[str, Any]


class GraphQLWebSocket:
    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    @classmethod
    @contextlib.asynccontextmanager
    async def open(
        cls,
        url: str,
        subprotocols: list[Subprotocol] | None = None,
        headers: dict[str, str] | None = None,
    ) -> AsyncIterator[GraphQLWebSocket]:
        ws_url = url.replace("http://", "ws://", 1)
        protocols = [PROTOCOL] if subprotocols is None else subprotocols
        async with connect(
            ws_url, subprotocols=protocols, additional_headers=headers, max_size=None
        ) as connection:
            yield cls(connection)

    @classmethod
    @contextlib.asynccontextmanager
    async def initialised(
        cls, url: str, token: str | None = None, headers: dict[str, str] | None = None
    ) -> AsyncIterator[GraphQLWebSocket]:
        """Opened and acknowledged, the token sent as `Authorization: Bearer <token>`."""
        async with cls.open(url, headers=headers) as socket:
            payload = {"Authorization": f"Bearer {token}"} if token else {}
            await socket.send({"type": "connection_init", "payload": payload})
            ack = await socket.receive()
            assert ack["type"] == "connection_ack", ack
            yield socket

    async def send(self, message: Message) -> None:
        await self.connection.send(orjson.dumps(message).decode())

    async def subscribe(
        self, operation_id: str, query: str, variables: dict[str, Any] | None = None
    ) -> None:
        payload = {"query": query, "variables": variables or {}}
        await self.send({"id": operation_id, "type": "subscribe", "payload": payload})

    async def receive(self, within: float = 10.0) -> Message:
        """The next message other than a ping (pings are answered)."""
        async with asyncio.timeout(within):
            while True:
                message: Message = orjson.loads(await self.connection.recv())
                if message.get("type") != "ping":
                    return message
                await self.send({"type": "pong"})

    async def closed(self, within: float = 10.0) -> tuple[int, str]:
        """Wait for the server to close: its close code and reason."""
        try:
            async with asyncio.timeout(within):
                while True:
                    await self.connection.recv()
        except ConnectionClosed as closed:
            assert closed.rcvd is not None, "closed without a close frame"
            return closed.rcvd.code, closed.rcvd.reason
        raise AssertionError("unreachable")
