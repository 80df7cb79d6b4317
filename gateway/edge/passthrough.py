"""Plain HTTP routes of a service passed through the gateway as they are (`/evidence`,
`/credentials`): the request's headers go on (hop-by-hop ones dropped), the answer comes
back streamed with the service's status and body, and a service that does not answer is
a 502 JSON refusal naming the request id."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from urllib.parse import quote

import httpx
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from cbkit.logs import request_id
from gateway.edge.upstream import Upstream, service_origin

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


class PassThrough(Upstream):
    """One subgraph's service, asked over plain HTTP at its origin."""

    def __init__(self, subgraph: str, graphql_url: str) -> None:
        super().__init__()
        self._subgraph = subgraph
        self._origin = service_origin(graphql_url)

    async def forward(
        self, request: Request, segments: list[str], body: AsyncIterator[bytes] | None = None
    ) -> Response:
        """`request` sent on to the service's path made of `segments`, each one
        percent-encoded: a client's `..` or `%2F` never reaches another route of the
        service (a dot segment is not found here)."""
        assert self._client is not None, f"{type(self).__name__}.start() was not awaited"
        if any(s in ("", ".", "..") for s in segments):
            return JSONResponse({"error": "not found", "code": "NOT_FOUND"}, status_code=404)
        path = "".join(f"/{quote(s, safe='')}" for s in segments)
        forwarded = self._client.build_request(
            request.method,
            f"{self._origin}{path}",
            headers=forwarded_headers(request),
            content=body,
            params=request.query_params,
        )
        try:
            upstream = await self._client.send(forwarded, stream=True)
        except httpx.HTTPError as error:
            return self.bad_gateway(error)
        return StreamingResponse(
            upstream.aiter_raw(),
            status_code=upstream.status_code,
            headers=response_headers(upstream.headers.multi_items()),
            background=BackgroundTask(upstream.aclose),
        )

    def bad_gateway(self, error: Exception) -> Response:
        """The client learns that a service is unavailable and the request id; the log
        has which one and why (its host and port are no business of the client's)."""
        logger.warning(
            "the %s service at %s did not answer: %r", self._subgraph, self._origin, error
        )
        rid = request_id.get()
        body = {
            "error": f"a service is unavailable (request id {rid})",
            "code": "BAD_GATEWAY",
            "requestId": rid,
        }
        return JSONResponse(body, status_code=502)


def forwarded_headers(request: Request) -> list[tuple[str, str]]:
    return [(n, v) for n, v in request.headers.items() if n.lower() not in HOP_BY_HOP]


def response_headers(headers: list[tuple[str, str]]) -> dict[str, str]:
    kept = {name: value for name, value in headers if name.lower() not in RESPONSE_SKIP}
    if any(n.lower() == "connection" and v.lower() == "close" for n, v in headers):
        kept["connection"] = "close"
    return kept


class CredentialsPassThrough(PassThrough):
    """`GET /credentials/{rest}`: the conversion service's public credentials (a
    certificate's share link, the status lists), CB_CREDENTIALS_SUBGRAPH."""

    async def get(self, request: Request) -> Response:
        return await self.forward(request, ["credentials", *request.path_params["rest"].split("/")])
