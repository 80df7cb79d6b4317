"""The subgraph side of a subscription: its plan split into the subgraph subscription
and per-event fetches, the upstream WebSocket (one per subscription, the client's token
in its `connection_init`) forwarded to the client, and each event resolved through the
rest of the plan (`_entities` jumps to the other subgraphs) into the client's `next`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from gateway.executor import FetchRun
from gateway.plan import Fetch, Plan
from gateway.response import ResponseShaper
from gateway.service import Gateway
from gateway.subscriptions.protocol import PROTOCOL, Message, _ended, _subgraph_errors

UPSTREAM_ID = "1"

Send = Callable[[Message], Awaitable[None]]
"""Sends one message to the client (the connection serialises its sends)."""


class UpstreamEnded(Exception):
    """The subgraph's subscription ended without `complete`."""


def websocket_url(http_url: str) -> str:
    """The subgraph's GraphQL WebSocket URL: its HTTP URL with ws/wss."""
    parts = urlsplit(http_url)
    return urlunsplit(parts._replace(scheme="wss" if parts.scheme == "https" else "ws"))


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


async def forward(
    gateway: Gateway,
    authorization: str | None,
    operation_id: str,
    root: Fetch,
    variables: dict[str, Any],
    events: _EventResolver,
    send: Send,
) -> None:
    """Subscribe to the root fetch's subgraph and relay its events to the client."""
    url = websocket_url(gateway.subgraph_urls[root.subgraph])
    init: Message = {"type": "connection_init", "payload": {}}
    if authorization:
        init["payload"] = {"Authorization": authorization}
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
            await _relay(operation_id, root.subgraph, upstream, events, send)
        except ConnectionClosed as closed:
            reason = closed.rcvd.reason if closed.rcvd and closed.rcvd.reason else ""
            code = closed.rcvd.code if closed.rcvd else 1006
            raise UpstreamEnded(f"closed ({code}{' ' + reason if reason else ''})") from None
        finally:
            with contextlib.suppress(Exception):
                await upstream.send(orjson.dumps({"id": UPSTREAM_ID, "type": "complete"}).decode())


async def _relay(
    operation_id: str,
    subgraph: str,
    upstream: ClientConnection,
    events: _EventResolver,
    send: Send,
) -> None:
    while True:
        message = orjson.loads(await upstream.recv())
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "ping":
            await upstream.send(orjson.dumps({"type": "pong"}).decode())
        elif kind == "next" and message.get("id") == UPSTREAM_ID:
            body = await events.resolve(message.get("payload"))
            await send({"id": operation_id, "type": "next", "payload": body})
        elif kind == "error" and message.get("id") == UPSTREAM_ID:
            errors = _subgraph_errors(subgraph, message.get("payload")) or _ended(subgraph, "error")
            await send({"id": operation_id, "type": "error", "payload": errors})
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
