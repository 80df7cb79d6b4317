"""HTTP front of the gateway: POST and GET /graphql (GraphiQL for browsers), the
evidence routes passed through to outcomes, /healthz, /readyz and /metrics."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import orjson
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from cbkit.auth import AuthError
from gateway.edge import graphiql
from gateway.edge.apq import PersistedQueries, PersistedQueryError
from gateway.edge.config import EdgeConfig, subgraph_urls_from_env
from gateway.edge.evidence import EvidenceProxy, service_origin
from gateway.edge.limits import LimitExceeded, check_size
from gateway.edge.metrics import GatewayMetrics
from gateway.edge.tokens import TokenCheck
from gateway.service import Gateway, GraphQLResponse
from gateway.subscriptions import SubscriptionEndpoint

__all__ = ["create_app", "subgraph_urls_from_env"]

Handler = Callable[[Request], Awaitable[Response]]


def _json(response: GraphQLResponse, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(response.body),
        status_code=response.status,
        media_type="application/graphql-response+json",
        headers=headers,
    )


def _error(status: int, message: str, code: str, headers: dict[str, str] | None = None) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return _json(GraphQLResponse(status, body), headers)


Params = tuple[str | None, dict[str, Any] | None, str | None, Any]


def _parse_params(params: Any) -> Params | str:
    """(query, variables, operationName, extensions) from a request, or what is wrong."""
    if not isinstance(params, dict):
        return "The request body must be a JSON object."
    query, variables = params.get("query"), params.get("variables")
    operation_name, extensions = params.get("operationName"), params.get("extensions")
    if query is not None and not isinstance(query, str):
        return "'query' must be a string."
    if not query and not (isinstance(extensions, dict) and "persistedQuery" in extensions):
        return "The request must carry a non-empty 'query' string."
    if variables is not None and not isinstance(variables, dict):
        return "'variables' must be a JSON object."
    if operation_name is not None and not isinstance(operation_name, str):
        return "'operationName' must be a string."
    if extensions is not None and not isinstance(extensions, dict):
        return "'extensions' must be a JSON object."
    return query or None, variables, operation_name, extensions


def _params_from_url(request: Request) -> dict[str, Any] | str:
    params: dict[str, Any] = dict(request.query_params)
    for name in ("variables", "extensions"):
        if params.get(name):
            try:
                params[name] = orjson.loads(params[name])
            except orjson.JSONDecodeError:
                return f"'{name}' must be JSON."
    return params


def create_app(
    supergraph_sdl: str,
    subgraph_urls: dict[str, str] | None = None,
    config: EdgeConfig | None = None,
) -> Starlette:
    config = config or EdgeConfig()
    gateway = Gateway(supergraph_sdl, subgraph_urls, config.limits)
    persisted = PersistedQueries(config.persisted_queries)
    metrics = GatewayMetrics()
    outcomes = gateway.subgraph_urls.get("outcomes")
    evidence = EvidenceProxy(service_origin(outcomes)) if outcomes else None
    tokens = TokenCheck(config.keys) if config.keys is not None else None
    subscriptions = SubscriptionEndpoint(
        gateway, tokens, config.limits, on_refused_token=metrics.refused_tokens.inc
    )

    async def refused_token(authorization: str | None) -> Response | None:
        """401 for a token accounts did not sign or that expired; None when acceptable."""
        if tokens is None:
            return None
        try:
            await tokens.check(authorization)
        except AuthError as error:
            metrics.refused_tokens.inc()
            headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
            return _error(401, f"Unauthenticated: {error}", "UNAUTHENTICATED", headers)
        return None

    async def graphql(request: Request) -> Response:
        if graphiql.wants_graphiql(request):
            return graphiql.page()
        authorization = request.headers.get("authorization")
        refused = await refused_token(authorization)
        if refused is not None:
            return refused
        raw: Any
        if request.method == "GET":
            raw = _params_from_url(request)
        else:
            try:
                raw = orjson.loads(await request.body())
            except orjson.JSONDecodeError:
                raw = "The request body must be JSON."
        parsed = _parse_params(raw) if not isinstance(raw, str) else raw
        if isinstance(parsed, str):
            return _error(400, parsed, "BAD_REQUEST")
        query, variables, operation_name, extensions = parsed
        try:
            query = persisted.resolve(query, extensions)
            assert query is not None
            check_size(query, config.limits)
        except PersistedQueryError as error:
            return _error(error.status, error.message, error.code)
        except LimitExceeded as error:
            return _error(400, str(error), error.code)
        response = await gateway.execute(
            query,
            variables,
            operation_name,
            authorization,
            allow_mutation=request.method == "POST",
        )
        fetched = 0
        for subgraph, count in response.fetches.items():
            metrics.subgraph_fetches.labels(subgraph).inc(count)
            fetched += count
        metrics.fetches.observe(fetched)
        return _json(response)

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "alive"})

    async def readyz(_request: Request) -> Response:
        async def reachable(client: httpx.AsyncClient, url: str) -> bool:
            try:
                return (await client.get(f"{service_origin(url)}/healthz")).status_code == 200
            except httpx.HTTPError:
                return False

        names = sorted(gateway.subgraph_urls)
        async with httpx.AsyncClient(timeout=2) as client:
            found = await asyncio.gather(
                *(reachable(client, gateway.subgraph_urls[n]) for n in names)
            )
        checks = dict(zip(names, found, strict=True))
        return JSONResponse(checks, status_code=200 if all(found) else 503)

    async def metrics_page(_request: Request) -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    async def no_outcomes(_request: Request) -> Response:
        return JSONResponse({"error": "no outcomes subgraph in the supergraph"}, status_code=404)

    def measured(route: str, handler: Handler) -> Handler:
        latency = metrics.latency.labels(route)

        async def endpoint(request: Request) -> Response:
            started = time.perf_counter()
            status = 500
            try:
                response = await handler(request)
                status = response.status_code
                return response
            finally:
                latency.observe(time.perf_counter() - started)
                metrics.requests.labels(route, str(status)).inc()

        return endpoint

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await gateway.start()
        if evidence is not None:
            await evidence.start()
        try:
            yield
        finally:
            await gateway.close()
            if evidence is not None:
                await evidence.close()

    upload = evidence.upload if evidence else no_outcomes
    download = evidence.download if evidence else no_outcomes
    middleware = []
    if config.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(config.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["authorization", "content-type", "apollo-require-preflight"],
                expose_headers=["location", "content-disposition", "etag"],
                max_age=600,
            )
        )
    app = Starlette(
        routes=[
            Route("/graphql", measured("/graphql", graphql), methods=["GET", "POST"]),
            WebSocketRoute("/graphql", subscriptions.endpoint),
            Route("/evidence", measured("/evidence", upload), methods=["POST"]),
            Route("/evidence/{id}", measured("/evidence/{id}", download), methods=["GET"]),
            Route(f"{graphiql.ASSET_PREFIX}/{{name}}", graphiql.asset, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics_page, methods=["GET"]),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.gateway = gateway
    app.state.subscriptions = subscriptions
    app.state.metrics = metrics
    return app
