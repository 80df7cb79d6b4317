"""`POST /evidence` and `GET /evidence/{id}` passed through to the service of the evidence
subgraph (outcomes; CB_EVIDENCE_SUBGRAPH) as streams: the body goes on chunk by chunk in
both directions, never held whole."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from gateway.edge.body import drain
from gateway.edge.passthrough import PassThrough, forwarded_headers, response_headers
from gateway.edge.upstream import UpstreamError, request_with_continue


class EvidenceProxy(PassThrough):
    async def upload(self, request: Request) -> Response:
        """Streamed upstream after outcomes has accepted the headers (100 Continue)."""
        try:
            upstream = await request_with_continue(
                f"{self._origin}/evidence", "POST", forwarded_headers(request), request.stream()
            )
        except UpstreamError as error:
            return self.bad_gateway(error)
        headers = response_headers(upstream.headers)
        if not upstream.body_sent:
            await drain(request)
        return StreamingResponse(upstream.body(), status_code=upstream.status, headers=headers)

    async def download(self, request: Request) -> Response:
        return await self.forward(request, ["evidence", request.path_params["id"]])
