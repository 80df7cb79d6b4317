"""GraphQL over WebSocket on /graphql: the `graphql-transport-ws` protocol (graphql-ws).

A connection is authenticated once, with the token in its `connection_init` payload
(`Authorization: Bearer <jwt>`, or `authorization`, or a bare `token`), verified as the
HTTP edge verifies it (refused: close 4403, no subgraph asked). Each subscription is
planned like any operation; its root fetch becomes a subscription to the owning
subgraph over the same protocol (one upstream connection per subscription, the client's
token in its `connection_init`), and for every upstream event the rest of the plan
runs with the event as the root data (`_entities` jumps to the other subgraphs), then
the event is shaped into the client's selection and sent. Upstream `error`, `complete`
and close end the client's subscription the same way; the client's `complete` or
disconnection closes the upstream one. Queries and mutations sent with `subscribe` get
one `next` and a `complete`, as graphql-ws servers do.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson
from graphql import GraphQLError, get_variable_values
from starlette.websockets import WebSocket, WebSocketDisconnect
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
from websockets.typing import Subprotocol

from cbkit.auth import AuthError
from gateway.edge.limits import LimitExceeded, QueryLimits, check_size
from gateway.edge.tokens import TokenCheck
from gateway.executor import FetchRun
from gateway.operation import OperationError
from gateway.plan import Fetch, Plan
from gateway.response import ResponseShaper
from gateway.service import Gateway

PROTOCOL = Subprotocol("graphql-transport-ws")
UPSTREAM_ID = "1"

Message = dict[str, Any]


class ProtocolViolation(Exception):
    """The client broke the protocol: the connection is closed with `code`."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class UpstreamEnded(Exception):
    """The subgraph's subscription ended without `complete`."""


def websocket_url(http_url: str) -> str:
    """The subgraph's GraphQL WebSocket URL: its HTTP URL with ws/wss."""
    parts = urlsplit(http_url)
    return urlunsplit(parts._replace(scheme="wss" if parts.scheme == "https" else "ws"))


def authorization_of(payload: dict[str, Any]) -> str | None:
    """The `Authorization` value a connection_init payload carries, if any."""
    value = payload.get("Authorization") or payload.get("authorization")
    if value is None and payload.get("token"):
        value = f"Bearer {payload['token']}"
    if value is not None and not isinstance(value, str):
        raise ProtocolViolation(4400, "The Authorization in connection_init must be a string")
    return value


def _check_message(message: Any) -> Message:
    """The message, when it is one of the client's messages with the right fields."""
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolViolation(4400, "Invalid message received: no type")
    kind = message["type"]
    if kind in ("connection_init", "ping", "pong"):
        if message.get("payload") is not None and not isinstance(message["payload"], dict):
            raise ProtocolViolation(4400, f'Invalid message received: "{kind}" payload')
        return message
    if kind not in ("subscribe", "complete"):
        raise ProtocolViolation(4400, f'Invalid message received: type "{kind}"')
    if not isinstance(message.get("id"), str) or not message["id"]:
        raise ProtocolViolation(4400, f'Invalid message received: "{kind}" needs an id')
    if kind == "subscribe":
        payload = message.get("payload")
        if (
            not isinstance(payload, dict)
            or not isinstance(payload.get("query"), str)
            or not isinstance(payload.get("variables") or {}, dict)
            or not isinstance(payload.get("operationName") or "", str)
            or not isinstance(payload.get("extensions") or {}, dict)
        ):
            raise ProtocolViolation(4400, 'Invalid message received: "subscribe" payload')
    return message


def _formatted(errors: list[GraphQLError], code: str) -> list[dict[str, Any]]:
    formatted = []
    for error in errors:
        entry: dict[str, Any] = dict(error.formatted)
        entry["extensions"] = {"code": code, **(entry.get("extensions") or {})}
        formatted.append(entry)
    return formatted


def _subgraph_errors(subgraph: str, errors: Any) -> list[dict[str, Any]]:
    """A subgraph's errors as the client sees them (as the executor reports them)."""
    found = []
    for error in errors if isinstance(errors, list) else ():
        if isinstance(error, dict):
            extensions = {
                "code": "DOWNSTREAM_SERVICE_ERROR",
                **(error.get("extensions") or {}),
                "serviceName": subgraph,
            }
            entry: dict[str, Any] = {
                "message": error.get("message") or f"Error from subgraph {subgraph!r}"
            }
            if isinstance(error.get("path"), list):
                entry["path"] = error["path"]
            found.append({**entry, "extensions": extensions})
    return found


def _ended(subgraph: str, why: str) -> list[dict[str, Any]]:
    message = f"The subscription to subgraph {subgraph!r} ended: {why}"
    return [
        {"message": message, "extensions": {"code": "SUBSCRIPTION_ENDED", "serviceName": subgraph}}
    ]


class SubscriptionPlan:
    """A subscription's plan split in two: the subgraph subscription and per-event fetches."""

    def __init__(self, plan: Plan) -> None:
        fetches = [fetch for stage in plan.stages for fetch in stage]
        roots = [fetch for fetch in fetches if not fetch.entity_calls and not fetch.depends_on]
        assert len(roots) == 1, "a subscription has one root field"
        self.plan = plan
        self.root: Fetch = roots[0]
        rest = tuple(
            replace(fetch, depends_on=fetch.depends_on - {self.root.id})
            for fetch in fetches
            if fetch is not self.root
        )
        self.per_event = Plan(plan.operation, (rest,) if rest else (), None)


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
            await self._forward(operation_id, split.root, variables, events)
        except (OSError, TimeoutError, InvalidHandshake, InvalidURI, UpstreamEnded) as error:
            why = str(error) or type(error).__name__
            await self._error(operation_id, _ended(subgraph, why))

    async def _forward(
        self, operation_id: str, root: Fetch, variables: dict[str, Any], events: _EventResolver
    ) -> None:
        url = websocket_url(self._gateway.subgraph_urls[root.subgraph])
        init: Message = {"type": "connection_init", "payload": {}}
        if self._authorization:
            init["payload"] = {"Authorization": self._authorization}
        root_variables = {n: variables[n] for n in root.variable_names if n in variables}
        async with connect(
            url, subprotocols=[PROTOCOL], open_timeout=10, close_timeout=2, max_size=None
        ) as upstream:
            try:
                await upstream.send(orjson.dumps(init).decode())
                await _acknowledged(upstream)
                subscribe = {"query": root.query, "variables": root_variables}
                await upstream.send(
                    orjson.dumps(
                        {"id": UPSTREAM_ID, "type": "subscribe", "payload": subscribe}
                    ).decode()
                )
                await self._relay(operation_id, root.subgraph, upstream, events)
            except ConnectionClosed as closed:
                reason = closed.rcvd.reason if closed.rcvd and closed.rcvd.reason else ""
                code = closed.rcvd.code if closed.rcvd else 1006
                raise UpstreamEnded(f"closed ({code}{' ' + reason if reason else ''})") from None
            finally:
                with contextlib.suppress(Exception):
                    await upstream.send(
                        orjson.dumps({"id": UPSTREAM_ID, "type": "complete"}).decode()
                    )

    async def _relay(
        self, operation_id: str, subgraph: str, upstream: ClientConnection, events: _EventResolver
    ) -> None:
        while True:
            message = orjson.loads(await upstream.recv())
            kind = message.get("type") if isinstance(message, dict) else None
            if kind == "ping":
                await upstream.send(orjson.dumps({"type": "pong"}).decode())
            elif kind == "next" and message.get("id") == UPSTREAM_ID:
                body = await events.resolve(message.get("payload"))
                await self._send({"id": operation_id, "type": "next", "payload": body})
            elif kind == "error" and message.get("id") == UPSTREAM_ID:
                errors = _subgraph_errors(subgraph, message.get("payload"))
                await self._error(operation_id, errors or _ended(subgraph, "error"))
                return
            elif kind == "complete" and message.get("id") == UPSTREAM_ID:
                await self._send({"id": operation_id, "type": "complete"})
                return

    async def _error(self, operation_id: str, errors: list[dict[str, Any]]) -> None:
        await self._send({"id": operation_id, "type": "error", "payload": errors})


async def _acknowledged(upstream: ClientConnection) -> None:
    async with asyncio.timeout(10):
        while True:
            message = orjson.loads(await upstream.recv())
            kind = message.get("type") if isinstance(message, dict) else None
            if kind == "connection_ack":
                return
            if kind == "ping":
                await upstream.send(orjson.dumps({"type": "pong"}).decode())


class _EventResolver:
    """Turns one upstream event into the client's `next` payload."""

    def __init__(
        self,
        gateway: Gateway,
        split: SubscriptionPlan,
        variables: dict[str, Any],
        coerced: dict[str, Any],
        authorization: str | None = None,
    ) -> None:
        self._gateway = gateway
        self._split = split
        self._variables = variables
        self._coerced = coerced
        self._headers = {"authorization": authorization} if authorization else {}
        self._shaper = ResponseShaper(
            gateway.supergraph.api_schema, split.plan.operation, coerced, {}
        )
        """One shaper per subscription: it remembers the selections it collected."""

    async def resolve(self, payload: Any) -> dict[str, Any]:
        subgraph = self._split.root.subgraph
        payload = payload if isinstance(payload, dict) else {}
        errors = _subgraph_errors(subgraph, payload.get("errors"))
        data = payload.get("data")
        if not isinstance(data, dict):
            return {"errors": errors or _ended(subgraph, "an event without data"), "data": None}
        if self._split.per_event.stages:
            run = FetchRun(
                self._gateway.client, self._gateway.subgraph_urls, self._variables, self._headers
            )
            run.data = data
            await run.run(self._split.per_event)
            errors += run.errors
        shaper = self._shaper
        shaper.errors = []
        body: dict[str, Any] = {}
        if errors:
            body["errors"] = errors
        body["data"] = shaper.shape(data)
        if shaper.errors and not errors:
            body["extensions"] = {"valueCompletion": shaper.errors}
        return body


class SubscriptionEndpoint:
    """The Starlette WebSocket endpoint of /graphql."""

    def __init__(
        self,
        gateway: Gateway,
        tokens: TokenCheck | None,
        limits: QueryLimits,
        init_timeout: float = 3.0,
        on_refused_token: Callable[[], None] = lambda: None,
    ) -> None:
        self._gateway = gateway
        self._tokens = tokens
        self._limits = limits
        self.init_timeout = init_timeout
        self._on_refused_token = on_refused_token

    async def endpoint(self, websocket: WebSocket) -> None:
        connection = Connection(
            websocket,
            self._gateway,
            self._tokens,
            self._limits,
            self.init_timeout,
            self._on_refused_token,
        )
        await connection.serve()
