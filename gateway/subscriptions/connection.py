"""One client's WebSocket on /graphql: the protocol's states (`connection_init` checked
as the HTTP edge checks tokens, ping/pong, subscribe/complete) and its running
operations. Queries and mutations sent with `subscribe` get one `next` and a
`complete`; subscriptions are forwarded to the owning subgraph (see `upstream`)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

import orjson
from graphql import get_variable_values
from starlette.websockets import WebSocket, WebSocketDisconnect
from websockets.exceptions import InvalidHandshake, InvalidURI

from cbkit.auth import AuthError
from gateway.edge.limits import LimitExceeded, QueryLimits, check_size
from gateway.edge.tokens import TokenCheck
from gateway.operation import OperationError
from gateway.service import Gateway
from gateway.subscriptions.protocol import (
    PROTOCOL,
    Message,
    ProtocolViolation,
    _check_message,
    _ended,
    _formatted,
    authorization_of,
)
from gateway.subscriptions.upstream import (
    SubscriptionPlan,
    UpstreamEnded,
    _EventResolver,
    forward,
)


class Connection:
    """One client's WebSocket: the protocol's states and its running subscriptions."""

    def __init__(
        self,
        websocket: WebSocket,
        gateway: Gateway,
        tokens: TokenCheck | None,
        limits: QueryLimits,
        init_timeout: float,
        on_refused_token: Callable[[], None],
    ) -> None:
        self._websocket = websocket
        self._gateway = gateway
        self._tokens = tokens
        self._limits = limits
        self._init_timeout = init_timeout
        self._on_refused_token = on_refused_token
        self._initialised = False
        self._acknowledged = False
        self._authorization: str | None = None
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
                message = _check_message(orjson.loads(text))
            except orjson.JSONDecodeError:
                raise ProtocolViolation(4400, "WebSocket message must be valid JSON") from None
            await self._handle(message)

    async def _handle(self, message: Message) -> None:
        kind = message["type"]
        if kind == "connection_init":
            if self._initialised:
                raise ProtocolViolation(4429, "Too many initialisation requests")
            self._initialised = True
            self._authorization = authorization_of(message.get("payload") or {})
            if self._tokens is not None:
                try:
                    await self._tokens.check(self._authorization)
                except AuthError:
                    self._on_refused_token()
                    raise ProtocolViolation(4403, "Forbidden") from None
            self._acknowledged = True
            await self._send({"type": "connection_ack"})
        elif kind == "ping":
            pong: Message = {"type": "pong"}
            if message.get("payload") is not None:
                pong["payload"] = message["payload"]
            await self._send(pong)
        elif kind == "subscribe":
            if not self._acknowledged:
                raise ProtocolViolation(4401, "Unauthorized")
            operation_id = message["id"]
            if operation_id in self._operations:
                raise ProtocolViolation(4409, f"Subscriber for {operation_id} already exists")
            task = asyncio.create_task(self._run(operation_id, message["payload"]))
            self._operations[operation_id] = task
            task.add_done_callback(lambda done: self._forget(operation_id, done))
        elif kind == "complete":
            running = self._operations.pop(message["id"], None)
            if running is not None:
                running.cancel()

    def _forget(self, operation_id: str, task: asyncio.Task[None]) -> None:
        if self._operations.get(operation_id) is task:
            del self._operations[operation_id]
        if not task.cancelled():
            task.exception()  # retrieved: failures to send mean the client is gone

    async def _send(self, message: Message) -> None:
        async with self._send_lock:
            await self._websocket.send_text(orjson.dumps(message).decode())

    async def _run(self, operation_id: str, payload: dict[str, Any]) -> None:
        query: str = payload["query"]
        variables: dict[str, Any] = payload.get("variables") or {}
        operation_name: str | None = payload.get("operationName")
        try:
            check_size(query, self._limits)
            plan = self._gateway.plans.plan(query, operation_name)
        except LimitExceeded as error:
            await self._error(operation_id, _formatted([error.error], error.code))
            return
        except OperationError as error:
            await self._error(operation_id, _formatted(error.errors, error.code))
            return
        if not plan.operation.is_subscription:
            response = await self._gateway.execute(
                query, variables, operation_name, self._authorization
            )
            if response.status != 200:
                await self._error(operation_id, response.body["errors"])
                return
            await self._send({"id": operation_id, "type": "next", "payload": response.body})
            await self._send({"id": operation_id, "type": "complete"})
            return
        coerced = get_variable_values(
            self._gateway.supergraph.api_schema,
            plan.operation.operation.variable_definitions or (),
            variables,
        )
        if isinstance(coerced, list):
            await self._error(operation_id, _formatted(coerced, "BAD_USER_INPUT"))
            return
        split = SubscriptionPlan(plan)
        events = _EventResolver(
            self._gateway, split, variables, coerced.coerced, self._authorization
        )
        subgraph = split.root.subgraph
        try:
            await forward(
                self._gateway,
                self._authorization,
                operation_id,
                split.root,
                variables,
                events,
                self._send,
            )
        except (OSError, TimeoutError, InvalidHandshake, InvalidURI, UpstreamEnded) as error:
            why = str(error) or type(error).__name__
            await self._error(operation_id, _ended(subgraph, why))

    async def _error(self, operation_id: str, errors: list[dict[str, Any]]) -> None:
        await self._send({"id": operation_id, "type": "error", "payload": errors})
