"""One client's WebSocket on /graphql: the protocol's states (`connection_init` checked
as the HTTP edge checks tokens, ping/pong, subscribe/complete) and its running
operations. Queries and mutations sent with `subscribe` get one `next` and a
`complete`; subscriptions are forwarded to the owning subgraph (see `upstream`)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect

from cbkit.auth import AuthError
from cbkit.logs import request_id
from gateway.edge.tokens import TokenCheck
from gateway.executor import Forwarded
from gateway.operation import OperationError
from gateway.service import Gateway
from gateway.subscriptions.protocol import (
    PROTOCOL,
    Message,
    ProtocolViolation,
    authorization_of,
    check_message,
    encoded,
)
from gateway.subscriptions.upstream import Subscription


class Connection:
    """One client's WebSocket: the protocol's states and its running subscriptions."""

    def __init__(
        self, websocket: WebSocket, gateway: Gateway, tokens: TokenCheck, init_timeout: float
    ) -> None:
        self._websocket = websocket
        self._gateway = gateway
        self._tokens = tokens
        self._init_timeout = init_timeout
        self._forwarded: Forwarded | None = None
        """What the subgraphs are given; set by `connection_init`, once it is acknowledged."""
        self._initialised = False
        self._operations: dict[str, asyncio.Task[None]] = {}
        self._send_lock = asyncio.Lock()

    async def serve(self) -> None:
        offered = self._websocket.scope.get("subprotocols") or []
        if PROTOCOL not in offered:
            await self._websocket.accept()
            await self._websocket.close(4406, "Subprotocol not acceptable")
            return
        await self._websocket.accept(subprotocol=PROTOCOL)
        try:
            await self._read_messages()
        except ProtocolViolation as violation:
            with contextlib.suppress(RuntimeError, OSError):
                await self._websocket.close(violation.code, violation.reason)
        except WebSocketDisconnect:
            pass
        finally:
            tasks = list(self._operations.values())
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _read_messages(self) -> None:
        deadline = time.monotonic() + self._init_timeout
        while True:
            try:
                if self._initialised:
                    raw = await self._websocket.receive()
                else:
                    async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                        raw = await self._websocket.receive()
            except TimeoutError:
                raise ProtocolViolation(4408, "Connection initialisation timeout") from None
            if raw["type"] == "websocket.disconnect":
                return
            text = raw.get("text")
            if text is None:
                raise ProtocolViolation(4400, "WebSocket message type must be text")
            try:
                message = check_message(orjson.loads(text))
            except orjson.JSONDecodeError:
                raise ProtocolViolation(4400, "WebSocket message must be valid JSON") from None
            await self._handle(message)

    async def _handle(self, message: Message) -> None:
        kind = message["type"]
        if kind == "connection_init":
            await self._initialise(message.get("payload") or {})
        elif kind == "ping":
            pong: Message = {"type": "pong"}
            if message.get("payload") is not None:
                pong["payload"] = message["payload"]
            await self._send(pong)
        elif kind == "subscribe":
            self._start(message["id"], message["payload"])
        elif kind == "complete":
            running = self._operations.pop(message["id"], None)
            if running is not None:
                running.cancel()

    async def _initialise(self, payload: dict[str, Any]) -> None:
        if self._initialised:
            raise ProtocolViolation(4429, "Too many initialisation requests")
        self._initialised = True
        authorization = authorization_of(payload)
        try:
            await self._tokens.check(authorization)
        except AuthError:
            raise ProtocolViolation(4403, "Forbidden") from None
        self._forwarded = Forwarded(authorization, request_id.get())
        await self._send({"type": "connection_ack"})

    def _start(self, operation_id: str, payload: dict[str, Any]) -> None:
        if self._forwarded is None:
            raise ProtocolViolation(4401, "Unauthorized")
        if operation_id in self._operations:
            raise ProtocolViolation(4409, f"Subscriber for {operation_id} already exists")
        task = asyncio.create_task(self._run(operation_id, payload, self._forwarded))
        self._operations[operation_id] = task
        task.add_done_callback(lambda done: self._forget(operation_id, done))

    def _forget(self, operation_id: str, task: asyncio.Task[None]) -> None:
        if self._operations.get(operation_id) is task:
            del self._operations[operation_id]
        if not task.cancelled():
            task.exception()  # retrieved: failures to send mean the client is gone

    async def _send(self, message: Message) -> None:
        async with self._send_lock:
            await self._websocket.send_text(encoded(message))

    async def _run(self, operation_id: str, payload: dict[str, Any], forwarded: Forwarded) -> None:
        query: str = payload["query"]
        variables: dict[str, Any] = payload.get("variables") or {}
        operation_name: str | None = payload.get("operationName")
        try:
            plan = self._gateway.plans.plan(query, operation_name)
            if not plan.operation.is_subscription:
                response = await self._gateway.execute(query, variables, operation_name, forwarded)
                await self._answer_once(operation_id, response.status, response.body)
                return
            subscription = Subscription(self._gateway, plan, variables, forwarded)
        except OperationError as error:
            await self._error(operation_id, error.formatted())
            return
        await subscription.relay(operation_id, self._send)

    async def _answer_once(self, operation_id: str, status: int, body: dict[str, Any]) -> None:
        """A query or mutation sent with `subscribe`: one `next` and `complete`, or `error`."""
        if status != 200:
            await self._error(operation_id, body["errors"])
            return
        await self._send({"id": operation_id, "type": "next", "payload": body})
        await self._send({"id": operation_id, "type": "complete"})

    async def _error(self, operation_id: str, errors: list[dict[str, Any]]) -> None:
        await self._send({"id": operation_id, "type": "error", "payload": errors})
