"""`GET /credentials/{id}` (a certificate's share link) and `GET /credentials/status/{n}`
(a status list credential): public, no token, the documents served byte for byte as
they were signed. The gateway passes `/credentials/...` through to them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from cbkit.app import Runtime
from cbkit.errors import NotFound
from cbkit.http import refusal_response
from services.conversion.service_layer.credentials import (
    MAX_NUMBER,
    public_certificate,
    status_list_credential,
)
from services.conversion.service_layer.dependencies import Dependencies

MEDIA_TYPE = "application/json"
STATUS_CACHE_SECONDS = 60
"""How long a verifier may keep a status list before asking again (a revocation shows
within this)."""
PUBLIC = {"Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff"}


def _document(text: str, **headers: str) -> Response:
    return Response(text.encode(), media_type=MEDIA_TYPE, headers={**PUBLIC, **headers})


def routes(runtime: Runtime[Dependencies]) -> list[BaseRoute]:
    async def certificate(request: Request) -> Response:
        credential_id = request.path_params["id"]
        async with runtime.pool.acquire() as conn:
            found = await public_certificate(conn, credential_id)
        if found is None:
            refusal = NotFound(
                f'no credential "{credential_id}"', field="id", zh=f"没有凭证“{credential_id}”"
            )
            return refusal_response(refusal, request=request)
        return _document(found, **{"Cache-Control": "no-cache"})

    async def status_list(request: Request) -> Response:
        number = request.path_params["number"]
        found = None
        if isinstance(number, int) and number <= MAX_NUMBER:
            async with runtime.pool.acquire() as conn:
                found = await status_list_credential(conn, number, runtime.deps)
        if found is None:
            refusal = NotFound(
                f"no status list {number}", field="number", zh=f"没有状态列表 {number}"
            )
            return refusal_response(refusal, request=request)
        return _document(found, **{"Cache-Control": f"max-age={STATUS_CACHE_SECONDS}"})

    return [
        Route("/credentials/status/{number:int}", status_list, methods=["GET"]),
        Route("/credentials/status/{number:path}", status_list, methods=["GET"]),
        Route("/credentials/{id}", certificate, methods=["GET"]),
    ]
