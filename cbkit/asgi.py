"""The ASGI side of a subgraph: its GraphQL app (HTTP and graphql-transport-ws, with
token renewals over `ping`) and the middleware that gives each request an id, logs and
metrics."""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Any

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import PingMessage

from cbkit.auth import AuthError
from cbkit.graphql import Context
from cbkit.http import authenticate, verify_header
from cbkit.logs import request_id

if TYPE_CHECKING:
    from cbkit.app import Runtime

REQUESTS = Counter("http_requests_total", "HTTP requests", ["service", "path", "status"])
LATENCY = Histogram("http_request_seconds", "HTTP request latency", ["service", "path"])


class RenewingTransportWS(BaseGraphQLTransportWSHandler[Context[Any], None]):
    """graphql-transport-ws, where a `ping` may carry a renewed token: its payload's
    `authorization` is handed to whatever the connection's subscriptions registered
    in `Context.token_renewals`, after the pong."""

    async def handle_ping(self, message: PingMessage) -> None:
        await super().handle_ping(message)
        payload = message.get("payload")
        if not isinstance(payload, dict):
            return
        authorization = payload.get("authorization") or payload.get("Authorization")
        if isinstance(authorization, str):
            for renewed in list(self.context.token_renewals):
                await renewed(authorization)


class SubgraphApp(GraphQL[Context[Any], None]):
    graphql_transport_ws_handler_class = RenewingTransportWS

    def __init__(self, runtime: Runtime[Any]) -> None:
        super().__init__(runtime.spec.schema, graphql_ide=None)
        self._runtime = runtime

    async def get_context(self, request: Any, response: Any) -> Context[Any]:
        return Context(
            pool=self._runtime.pool,
            deps=self._runtime.deps,
            request=request,
            principal_or_error=await authenticate(request, self._runtime.keys),
        )

    async def on_ws_connect(self, context: Context[Any]) -> None:
        """A WebSocket client (graphql-transport-ws) sends its token in `connection_init`."""
        params = context.connection_params or {}
        header = params.get("Authorization") or params.get("authorization")
        if not header and params.get("token"):
            header = f"Bearer {params['token']}"
        if header:
            context.principal_or_error = await verify_header(str(header), self._runtime.keys)
        if isinstance(context.principal_or_error, AuthError):
            raise ConnectionRejectionError({"reason": str(context.principal_or_error)})


class RequestIdMiddleware:
    """Gives each request an id (kept from X-Request-Id when sent), logs and metrics."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        rid = headers.get(b"x-request-id", b"").decode() or uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            path = scope["path"] if scope.get("route") else "other"
            REQUESTS.labels(self.service, path, str(status)).inc()
            LATENCY.labels(self.service, path).observe(time.perf_counter() - started)
            request_id.reset(token)
