"""What a learner may ask of every service under China's Personal Information
Protection Law: a copy of everything held about them.

Each service serves `GET /privacy/export` with `export_route` (mounted by `cbkit.app`
for the collector a `ServiceSpec` names as `export`): the signed-in
learner's own records as JSON (never anyone else's), which the gateway gathers
with the evidence files into one archive (`GET /me/export` there). Erasure goes
the other way, by the `account.closed` event each service handles."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cbkit import wire
from cbkit.auth import Role
from cbkit.clock import Clock
from cbkit.db import Connection
from cbkit.errors import Refusal
from cbkit.http import caller, refusal_response

EXPORT_PATH = "/privacy/export"
# instants go through wire.json_default, which writes them with Z
_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATETIME


class _HasClock(Protocol):
    @property
    def clock(self) -> Clock: ...


D = TypeVar("D", bound=_HasClock)

Records = Mapping[str, Sequence[Mapping[str, Any]]]
"""Record kind -> the learner's records."""
Collect = Callable[[Connection, D, str], Awaitable[Records]]
"""(connection, dependencies, learner id) -> record kind -> the learner's records."""


def export_route(runtime: Any, collect: Collect[D]) -> Route:
    """`GET /privacy/export` for the service of `runtime`: the calling learner's records,
    by `collect`, as `{"service", "learnerId", "exportedAt", "records"}`."""

    async def export(request: Request) -> Response:
        try:
            principal = await caller(request, runtime.keys, Role.LEARNER)
        except Refusal as refusal:
            return refusal_response(refusal, request=request)
        deps = runtime.deps
        async with runtime.pool.acquire() as conn:
            records = await collect(conn, deps, principal.account_id)
        body = {
            "service": runtime.spec.name,
            "learnerId": principal.account_id,
            "exportedAt": wire.instant(deps.clock.now()),
            "records": records,
        }
        return Response(
            orjson.dumps(
                body,
                default=wire.json_default,
                option=_OPTIONS,
            ),
            media_type="application/json",
            headers={"Cache-Control": "no-store"},
        )

    return Route(EXPORT_PATH, export, methods=["GET"])
