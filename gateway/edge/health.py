"""/healthz (the process answers), /readyz (every subgraph's service answers its own
/healthz; 503 naming those that do not) and /metrics (Prometheus text)."""

from __future__ import annotations

import asyncio

import httpx
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateway.edge.metrics import Handler
from gateway.edge.upstream import service_origin


async def healthz(_request: Request) -> Response:
    return JSONResponse({"status": "alive"})


def readyz(subgraph_urls: dict[str, str]) -> Handler:
    async def endpoint(_request: Request) -> Response:
        names = sorted(subgraph_urls)
        async with httpx.AsyncClient(timeout=2) as client:
            found = await asyncio.gather(*(_reachable(client, subgraph_urls[n]) for n in names))
        checks = dict(zip(names, found, strict=True))
        return JSONResponse(checks, status_code=200 if all(found) else 503)

    return endpoint


async def _reachable(client: httpx.AsyncClient, graphql_url: str) -> bool:
    try:
        return (await client.get(f"{service_origin(graphql_url)}/healthz")).status_code == 200
    except httpx.HTTPError:
        return False


def metrics_page(registry: CollectorRegistry) -> Handler:
    async def endpoint(_request: Request) -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return endpoint
