"""HTTP front of the gateway: POST and GET /graphql, and /healthz."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.service import Gateway, GraphQLResponse

SUBGRAPH_URL_ENV_PREFIX = "CB_SUBGRAPH_URL_"


def subgraph_urls_from_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """`CB_SUBGRAPH_URL_<NAME>=url` overrides the supergraph's URL of subgraph `name`."""
    environ = dict(os.environ if environ is None else environ)
    return {
        key.removeprefix(SUBGRAPH_URL_ENV_PREFIX).lower(): value
        for key, value in environ.items()
        if key.startswith(SUBGRAPH_URL_ENV_PREFIX) and value
    }


def _json(response: GraphQLResponse) -> Response:
    return Response(
        orjson.dumps(response.body),
        status_code=response.status,
        media_type="application/graphql-response+json",
    )


def _bad_request(message: str) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}
    return _json(GraphQLResponse(400, body))


def _parse_params(params: Any) -> tuple[str, dict[str, Any] | None, str | None] | str:
    """(query, variables, operationName) from a request, or what is wrong with it."""
    if not isinstance(params, dict):
        return "The request body must be a JSON object."
    query, variables, operation_name = (
        params.get("query"),
        params.get("variables"),
        params.get("operationName"),
    )
    if not isinstance(query, str) or not query:
        return "The request must carry a non-empty 'query' string."
    if variables is not None and not isinstance(variables, dict):
        return "'variables' must be a JSON object."
    if operation_name is not None and not isinstance(operation_name, str):
        return "'operationName' must be a string."
    return query, variables, operation_name


def create_app(supergraph_sdl: str, subgraph_urls: dict[str, str] | None = None) -> Starlette:
    gateway = Gateway(supergraph_sdl, subgraph_urls)

    async def graphql(request: Request) -> Response:
        if request.method == "GET":
            params: Any = dict(request.query_params)
            try:
                if params.get("variables"):
                    params["variables"] = orjson.loads(params["variables"])
            except orjson.JSONDecodeError:
                return _bad_request("'variables' must be JSON.")
        else:
            try:
                params = orjson.loads(await request.body())
            except orjson.JSONDecodeError:
                return _bad_request("The request body must be JSON.")
        parsed = _parse_params(params)
        if isinstance(parsed, str):
            return _bad_request(parsed)
        query, variables, operation_name = parsed
        response = await gateway.execute(
            query,
            variables,
            operation_name,
            request.headers.get("authorization"),
            allow_mutation=request.method == "POST",
        )
        return _json(response)

    async def healthz(_request: Request) -> Response:
        return Response(b"ok", media_type="text/plain")

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await gateway.start()
        try:
            yield
        finally:
            await gateway.close()

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.gateway = gateway
    return app
