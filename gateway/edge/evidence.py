"""`POST /evidence` and `GET /evidence/{id}` passed through to the outcomes service as
streams: the body goes on chunk by chunk in both directions, never held whole."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

# Hop-by-hop headers (RFC 9110 7.6.1) and those the HTTP layers set themselves.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
    }
)
RESPONSE_SKIP = HOP_BY_HOP | {"date", "server"}


def service_origin(graphql_url: str) -> str:
    """`http://host:port` of a subgraph from its GraphQL URL."""
    parts = urlsplit(graphql_url)
    return f"{parts.scheme}://{parts.netloc}"


class EvidenceProxy:
    def __init__(self, outcomes_origin: str) -> None:
        self._origin = outcomes_origin.rstrip("/")
        self._client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(60.0, connect=5.0),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def upload(self, request: Request) -> Response:
        return await self._forward(request, "/evidence", request.stream())

    async def download(self, request: Request) -> Response:
        return await self._forward(request, f"/evidence/{request.path_params['id']}", None)

    async def _forward(
        self, request: Request, path: str, body: AsyncIterator[bytes] | None
    ) -> Response:
        assert self._client is not None, "EvidenceProxy.start() was not awaited"
        headers = [
            (name, value)
            for name, value in request.headers.items()
            if name.lower() not in HOP_BY_HOP
        ]
        forwarded = self._client.build_request(
            request.method,
            f"{self._origin}{path}",
            headers=headers,
            content=body,
            params=request.query_params,
        )
        try:
            upstream = await self._client.send(forwarded, stream=True)
        except httpx.HTTPError as error:
            return JSONResponse(
                {"error": f"the outcomes service did not answer: {error!r}", "code": "BAD_GATEWAY"},
                status_code=502,
            )
        response_headers = {
            name: value
            for name, value in upstream.headers.multi_items()
            if name.lower() not in RESPONSE_SKIP
        }
        if upstream.headers.get("connection", "").lower() == "close":
            response_headers["connection"] = "close"
        return StreamingResponse(
            upstream.aiter_raw(),
            status_code=upstream.status_code,
            headers=response_headers,
            background=BackgroundTask(upstream.aclose),
        )
