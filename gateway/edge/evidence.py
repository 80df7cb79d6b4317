"""`POST /evidence` and `GET /evidence/{id}` passed through to the service of the evidence
subgraph (outcomes; CB_EVIDENCE_SUBGRAPH) as streams: the body goes on chunk by chunk in
both directions, never held whole."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from cbkit.logs import request_id
from gateway.edge.body import drain
from gateway.edge.upstream import (
    Upstream,
    UpstreamError,
    request_with_continue,
    service_origin,
)

logger = logging.getLogger(__name__)

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


class EvidenceProxy(Upstream):
    def __init__(self, subgraph: str, graphql_url: str) -> None:
        super().__init__()
        self._subgraph = subgraph
        self._origin = service_origin(graphql_url)

    async def upload(self, request: Request) -> Response:
        """Streamed upstream after outcomes has accepted the headers (100 Continue)."""
        headers = _forwarded_headers(request)
        try:
            upstream = await request_with_continue(
                f"{self._origin}/evidence", "POST", headers, request.stream()
            )
        except UpstreamError as error:
            return _bad_gateway(self._subgraph, self._origin, error)
        response_headers = _response_headers(upstream.headers)
        if not upstream.body_sent:
            await drain(request)
        return StreamingResponse(
            upstream.body(), status_code=upstream.status, headers=response_headers
        )

    async def download(self, request: Request) -> Response:
        return await self._forward(request, f"/evidence/{request.path_params['id']}", None)

    async def _forward(
        self, request: Request, path: str, body: AsyncIterator[bytes] | None
    ) -> Response:
        assert self._client is not None, "EvidenceProxy.start() was not awaited"
        headers = _forwarded_headers(request)
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
            return _bad_gateway(self._subgraph, self._origin, error)
        response_headers = _response_headers(upstream.headers.multi_items())
        return StreamingResponse(
            upstream.aiter_raw(),
            status_code=upstream.status_code,
            headers=response_headers,
            background=BackgroundTask(upstream.aclose),
        )


def _forwarded_headers(request: Request) -> list[tuple[str, str]]:
    return [(n, v) for n, v in request.headers.items() if n.lower() not in HOP_BY_HOP]


def _response_headers(headers: list[tuple[str, str]]) -> dict[str, str]:
    kept = {name: value for name, value in headers if name.lower() not in RESPONSE_SKIP}
    if any(n.lower() == "connection" and v.lower() == "close" for n, v in headers):
        kept["connection"] = "close"
    return kept


def _bad_gateway(subgraph: str, origin: str, error: Exception) -> Response:
    """The client learns that a service is unavailable and the request id; the log has
    which one and why (its host and port are no business of the client's)."""
    logger.warning("the %s service at %s did not answer: %r", subgraph, origin, error)
    rid = request_id.get()
    body = {
        "error": f"a service is unavailable (request id {rid})",
        "code": "BAD_GATEWAY",
        "requestId": rid,
    }
    return JSONResponse(body, status_code=502)
