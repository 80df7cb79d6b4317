"""Plain HTTP routes beside /graphql (uploads, downloads, key sets): who calls, and
refusals as JSON with the HTTP status that fits them."""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse

from cbkit.auth import AuthError, KeySet, Principal, Role, bearer, require, verify_token
from cbkit.errors import (
    Conflict,
    Forbidden,
    NotFound,
    Refusal,
    TooLarge,
    Unauthenticated,
    UnsupportedMediaType,
)
from cbkit.i18n import negotiate

STATUS: dict[type[Refusal], int] = {
    TooLarge: 413,
    UnsupportedMediaType: 415,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
}


def refusal_response(
    refusal: Refusal, *, close: bool = False, request: HTTPConnection | None = None
) -> JSONResponse:
    """The refusal as JSON, in the language the request asks for; `close` when the
    request body was left unread."""
    status = next((s for kind, s in STATUS.items() if isinstance(refusal, kind)), 400)
    language = negotiate(request.headers.get("accept-language") if request else None)
    body = {"error": refusal.text(language), "code": refusal.code, "field": refusal.field}
    headers = {"Connection": "close"} if close else {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status, headers=headers)


async def authenticate(request: HTTPConnection, keys: KeySet) -> Principal | AuthError | None:
    """The caller named by the request's bearer token, None when there is none."""
    return await verify_header(request.headers.get("authorization"), keys)


async def verify_header(header: str | None, keys: KeySet) -> Principal | AuthError | None:
    try:
        token = bearer(header)
        return await verify_token(token, keys) if token else None
    except AuthError as exc:
        return exc


async def caller(request: HTTPConnection, keys: KeySet, *roles: Role) -> Principal:
    """The signed-in caller (with one of `roles`), or the refusal that says why not."""
    return require(await authenticate(request, keys), *roles)
