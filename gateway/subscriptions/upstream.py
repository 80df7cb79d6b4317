"""The subgraph side of a subscription: its plan split into the subgraph subscription
and per-event fetches, the upstream WebSocket (one per subscription, the client's token
in its `connection_init`, a refreshed token passed on in a `ping` as the client sent it,
the request id in its `X-Request-Id`) forwarded to the client, and each event resolved
through the rest of the plan (`_entities` jumps to the other subgraphs, with the
current token) into the client's `next`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from cbkit.logs import request_id
from gateway.executor import Forwarded, subgraph_errors
from gateway.plan import Fetch, Plan
from gateway.service import Gateway
from gateway.subscriptions.protocol import PROTOCOL, Message, encoded

logger = logging.getLogger(__name__)

UPSTREAM_ID = "1"

Send = Callable[[Message], Awaitable[None]]
"""Sends one message to the client (the connection serialises its sends)."""


class UpstreamEnded(Exception):
    """The subgraph's subscription ended without `complete`."""


def websocket_url(http_url: str) -> str:
    """The subgraph's GraphQL WebSocket URL: its HTTP URL with ws/wss."""
    parts = urlsplit(http_url)
    return urlunsplit(parts._replace(scheme="wss" if parts.scheme == "https" else "ws"))


def ended(subgraph: str, why: str = "a service is unavailable") -> list[dict[str, Any]]:
    """The client's error when the subgraph's subscription stops without `complete`:
    no host, port or exception text (the log has them, under the same request id)."""
    rid = request_id.get()
    extensions = {"code": "SUBSCRIPTION_ENDED", "serviceName": subgraph, "requestId": rid}
    return [
        {"message": f"The subscription ended: {why} (request id {rid})", "extensions": extensions}
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


class Subscription:
    """One client subscription: subscribed upstream, each event resolved and relayed."""

    def __init__(
        self, gateway: Gateway, plan: Plan, variables: dict[str, Any], forwarded: Forwarded
    ) -> None:
        """Raises OperationError when the variables do not fit the operation."""
        self._shaper = gateway.shaper(plan, gateway.coerce(plan, variables))
        """One shaper per subscription: it remembers the selections it collected."""
        self._gateway = gateway
        self._split = SubscriptionPlan(plan)
        self._variables = variables
        self._forwarded = forwarded
        self._upstream: ClientConnection | None = None
        """The subgraph's WebSocket once it acknowledged the connection."""

    @property
    def subgraph(self) -> str:
        return self._split.root.subgraph

    async def refresh(self, forwarded: Forwarded) -> None:
        """The client refreshed its token: later events are resolved with it, and the
        subgraph is given it too."""
        self._forwarded = forwarded
        if self._upstream is not None:
            await self._pass_on_token(self._upstream)

    async def _pass_on_token(self, upstream: ClientConnection) -> None:
        payload = {"authorization": self._forwarded.authorization}
        with contextlib.suppress(ConnectionClosed):  # the relay sees the close itself
            await upstream.send(encoded({"type": "ping", "payload": payload}))

    async def relay(self, operation_id: str, send: Send) -> None:
        """Relay the subgraph's events until it completes, fails or the task is cancelled."""
        try:
            await self._forward(operation_id, send)
        except (OSError, TimeoutError, InvalidHandshake, InvalidURI, UpstreamEnded) as error:
            why = str(error) or type(error).__name__
            logger.warning("the subscription to subgraph %r ended: %s", self.subgraph, why)
            await send({"id": operation_id, "type": "error", "payload": ended(self.subgraph)})

    async def resolve(self, payload: Any) -> dict[str, Any]:
        """One upstream event as the client's `next` payload."""
        payload = payload if isinstance(payload, dict) else {}
        errors = subgraph_errors(self.subgraph, payload.get("errors"))
        data = payload.get("data")
        if not isinstance(data, dict):
            return {"errors": errors or ended(self.subgraph, "an event without data"), "data": None}
        if self._split.per_event.stages:
            run = self._gateway.fetch_run(self._variables, self._forwarded)
            run.data = data
            await run.run(self._split.per_event)
            errors += run.errors
        return self._shaper.respond(data, errors)

    async def _forward(self, operation_id: str, send: Send) -> None:
        url = websocket_url(self._gateway.subgraph_urls[self.subgraph])
        request_id = self._forwarded.request_id
        async with connect(
            url,
            subprotocols=[PROTOCOL],
            additional_headers={"X-Request-Id": request_id} if request_id else None,
            open_timeout=10,
            close_timeout=2,
            max_size=None,
        ) as upstream:
            try:
                await self._subscribe(upstream)
                await self._relay_events(operation_id, upstream, send)
            except ConnectionClosed as closed:
                reason = closed.rcvd.reason if closed.rcvd and closed.rcvd.reason else ""
                code = closed.rcvd.code if closed.rcvd else 1006
                raise UpstreamEnded(f"closed ({code}{' ' + reason if reason else ''})") from None
            finally:
                self._upstream = None
                with contextlib.suppress(Exception):
                    await upstream.send(encoded({"id": UPSTREAM_ID, "type": "complete"}))

    async def _subscribe(self, upstream: ClientConnection) -> None:
        authorization = self._forwarded.authorization
        init = {"Authorization": authorization} if authorization else {}
        if self._forwarded.accept_language:
            init["accept-language"] = self._forwarded.accept_language
        await upstream.send(encoded({"type": "connection_init", "payload": init}))
        await _acknowledged(upstream)
        self._upstream = upstream
        if self._forwarded.authorization != authorization:  # refreshed meanwhile
            await self._pass_on_token(upstream)
        root = self._split.root
        variables = {n: self._variables[n] for n in root.variable_names if n in self._variables}
        payload = {"query": root.query, "variables": variables}
        await upstream.send(encoded({"id": UPSTREAM_ID, "type": "subscribe", "payload": payload}))

    async def _relay_events(
        self, operation_id: str, upstream: ClientConnection, send: Send
    ) -> None:
        while True:
            message = orjson.loads(await upstream.recv())
            kind = message.get("type") if isinstance(message, dict) else None
            if kind == "ping":
                await upstream.send(encoded({"type": "pong"}))
            elif kind == "next" and message.get("id") == UPSTREAM_ID:
                body = await self.resolve(message.get("payload"))
                await send({"id": operation_id, "type": "next", "payload": body})
            elif kind == "error" and message.get("id") == UPSTREAM_ID:
                errors = subgraph_errors(self.subgraph, message.get("payload"))
                payload = errors or ended(self.subgraph, "the service reported an error")
                await send({"id": operation_id, "type": "error", "payload": payload})
                return
            elif kind == "complete" and message.get("id") == UPSTREAM_ID:
                await send({"id": operation_id, "type": "complete"})
                return


async def _acknowledged(upstream: ClientConnection) -> None:
    async with asyncio.timeout(10):
        while True:
            message = orjson.loads(await upstream.recv())
            kind = message.get("type") if isinstance(message, dict) else None
            if kind == "connection_ack":
                return
            if kind == "ping":
                await upstream.send(encoded({"type": "pong"}))
