"""One client's WebSocket on /graphql: the protocol's states (`connection_init` checked
as the HTTP edge checks tokens, ping/pong, subscribe/complete), the token's lifetime
(see `credentials`) and its running operations, at most `max_operations` at once.
Queries and mutations sent with `subscribe` get one `next` and a `complete`;
subscriptions are forwarded to the owning subgraph (see `upstream`). With trusted
documents (CB_TRUSTED_DOCUMENTS), a portal's socket runs only those (`edge/trusted.py`
decides, as for HTTP), and every socket may name one by `documentId`."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect

from cbkit.logs import request_id
from gateway.edge.apq import NOT_FOUND, PersistedQueryError
from gateway.edge.tokens import TokenCheck
from gateway.edge.trusted import TrustedDocuments, is_portal_socket
from gateway.operation import OperationError
from gateway.service import Gateway
from gateway.subscriptions.credentials import Credentials
from gateway.subscriptions.protocol import (
    PROTOCOL,
    Message,
    ProtocolViolation,
    authorization_of,
    check_message,
    encoded,
    names_a_document,
    refresh_of,
)
from gateway.subscriptions.upstream import Subscription

TOO_MANY = "TOO_MANY_SUBSCRIPTIONS"


class Connection:
    """One client's WebSocket: the protocol's states and its running subscriptions."""

    def __init__(
        self,
        websocket: WebSocket,
        gateway: Gateway,
        tokens: TokenCheck,
        init_timeout: float,
        max_operations: int,
        recheck_seconds: float,
        trusted: TrustedDocuments | None = None,
    ) -> None:
        self._websocket = websocket
        self._gateway = gateway
        self._tokens = tokens
        self._init_timeout = init_timeout
        self._max_operations = max_operations
        self._recheck_seconds = recheck_seconds
        self._trusted = trusted
        self._portal = False
        """Whether the socket is the portal's (decided at `connection_init`), so runs
        only trusted documents."""
        self._credentials: Credentials | None = None
        """Set by `connection_init` once acknowledged; replaced by each refresh."""
        self._checked_at = time.monotonic()
        """When the token was last verified (monotonic)."""
        self._initialised = False
        self._operations: dict[str, asyncio.Task[None]] = {}
        self._subscriptions: dict[str, Subscription] = {}
        """The running operations that are subscriptions, told of each refresh."""
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
        init_deadline = time.monotonic() + self._init_timeout
        while True:
            try:
                async with asyncio.timeout(self._seconds_to_wait(init_deadline)):
                    raw = await self._websocket.receive()
            except TimeoutError:
                await self._check_credentials()
                continue
            if raw["type"] == "websocket.disconnect":
                return
            if self._credentials is not None:
                self._credentials.check_unexpired()
            text = raw.get("text")
            if text is None:
                raise ProtocolViolation(4400, "WebSocket message type must be text")
            try:
                message = check_message(orjson.loads(text))
            except orjson.JSONDecodeError:
                raise ProtocolViolation(4400, "WebSocket message must be valid JSON") from None
            await self._handle(message)

    def _seconds_to_wait(self, init_deadline: float) -> float | None:
        """Until `connection_init` is overdue; then until the token expires or is due to
        be checked again, whichever comes first (never, without a verified token)."""
        if not self._initialised:
            return max(0.0, init_deadline - time.monotonic())
        left = self._credentials.seconds_left() if self._credentials else None
        if left is None:
            return None
        recheck = self._checked_at + self._recheck_seconds - time.monotonic()
        return max(0.0, min(left, recheck))

    async def _check_credentials(self) -> None:
        """Raises ProtocolViolation when `connection_init` is overdue (4408), or the token
        expired or is no longer trusted (4403)."""
        if self._credentials is None:
            raise ProtocolViolation(4408, "Connection initialisation timeout")
        self._credentials.check_unexpired()
        self._credentials = await self._credentials.rechecked(self._tokens)
        self._checked_at = time.monotonic()

    async def _handle(self, message: Message) -> None:
        kind = message["type"]
        if kind == "connection_init":
            await self._initialise(message.get("payload") or {})
        elif kind == "ping":
            await self._ping(message.get("payload"))
        elif kind == "subscribe":
            await self._start(message["id"], message["payload"])
        elif kind == "complete":
            running = self._operations.pop(message["id"], None)
            if running is not None:
                running.cancel()

    async def _initialise(self, payload: dict[str, Any]) -> None:
        if self._initialised:
            raise ProtocolViolation(4429, "Too many initialisation requests")
        self._initialised = True
        if self._trusted is not None:
            self._portal = is_portal_socket(self._websocket.headers, payload)
        authorization = authorization_of(payload)
        self._credentials = await Credentials.checked(
            self._tokens, authorization, request_id.get(), _language(self._websocket, payload)
        )
        self._checked_at = time.monotonic()
        await self._send({"type": "connection_ack"})

    async def _ping(self, payload: dict[str, Any] | None) -> None:
        """A `pong`; a ping carrying a token refreshes the connection's first."""
        authorization = refresh_of(payload)
        if authorization is None:
            pong: Message = {"type": "pong"}
            if payload is not None:
                pong["payload"] = payload
            await self._send(pong)
            return
        if self._credentials is None:
            raise ProtocolViolation(4401, "Unauthorized")
        self._credentials = await self._credentials.refreshed(self._tokens, authorization)
        self._checked_at = time.monotonic()
        for subscription in list(self._subscriptions.values()):
            await subscription.refresh(self._credentials.forwarded)
        await self._send({"type": "pong"})

    async def _start(self, operation_id: str, payload: dict[str, Any]) -> None:
        if self._credentials is None:
            raise ProtocolViolation(4401, "Unauthorized")
        if self._trusted is None and payload.get("query") is None:  # a hash, no text
            raise ProtocolViolation(4400, 'Invalid message received: "subscribe" payload')
        if operation_id in self._operations:
            raise ProtocolViolation(4409, f"Subscriber for {operation_id} already exists")
        if len(self._operations) >= self._max_operations:
            await self._error(operation_id, self._too_many())
            return
        task = asyncio.create_task(self._run(operation_id, payload))
        self._operations[operation_id] = task
        task.add_done_callback(lambda done: self._forget(operation_id, done))

    def _too_many(self) -> list[dict[str, Any]]:
        message = (
            f"This connection already runs {self._max_operations} operations, the most one"
            " connection may; complete one first."
        )
        return [{"message": message, "extensions": {"code": TOO_MANY}}]

    def _forget(self, operation_id: str, task: asyncio.Task[None]) -> None:
        if self._operations.get(operation_id) is task:
            del self._operations[operation_id]
        if not task.cancelled():
            task.exception()  # retrieved: failures to send mean the client is gone

    async def _send(self, message: Message) -> None:
        async with self._send_lock:
            await self._websocket.send_text(encoded(message))

    def _query_of(self, payload: dict[str, Any]) -> str:
        """The text to run: the one sent, or the trusted document the payload names (the
        only ones a portal's socket runs). Raises PersistedQueryError."""
        query: str | None = payload.get("query")
        if self._trusted is not None:
            document_id: str | None = payload.get("documentId") or None
            extensions = payload.get("extensions")
            text = self._trusted.resolve_for(self._portal, query or None, extensions, document_id)
            if text is not None:
                return text
        if query is None:  # an automatic persisted query's hash: not kept over the WebSocket
            assert names_a_document(payload)
            raise PersistedQueryError(*NOT_FOUND)
        return query

    async def _run(self, operation_id: str, payload: dict[str, Any]) -> None:
        try:
            query = self._query_of(payload)
        except PersistedQueryError as error:
            refused = {"message": error.message, "extensions": {"code": error.code}}
            await self._error(operation_id, [refused])
            return
        variables: dict[str, Any] = payload.get("variables") or {}
        operation_name: str | None = payload.get("operationName")
        assert self._credentials is not None
        forwarded = self._credentials.forwarded
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
        self._subscriptions[operation_id] = subscription
        try:
            await subscription.relay(operation_id, self._send)
        finally:
            if self._subscriptions.get(operation_id) is subscription:
                del self._subscriptions[operation_id]

    async def _answer_once(self, operation_id: str, status: int, body: dict[str, Any]) -> None:
        """A query or mutation sent with `subscribe`: one `next` and `complete`, or `error`."""
        if status != 200:
            await self._error(operation_id, body["errors"])
            return
        await self._send({"id": operation_id, "type": "next", "payload": body})
        await self._send({"id": operation_id, "type": "complete"})

    async def _error(self, operation_id: str, errors: list[dict[str, Any]]) -> None:
        await self._send({"id": operation_id, "type": "error", "payload": errors})


def _language(websocket: WebSocket, payload: dict[str, Any]) -> str | None:
    """The client's language: its `connection_init`'s `accept-language` (a browser's
    WebSocket cannot set headers), else the upgrade request's `Accept-Language`."""
    given = payload.get("accept-language")
    if isinstance(given, str) and given:
        return given[:200]
    return websocket.headers.get("accept-language")
