"""The browser portal's sessions, kept as OWASP advises for a single-page app: the access
token in the page's memory only, the refresh token in a cookie the page's scripts
cannot read (`HttpOnly; Secure; SameSite=Strict; Path=/auth`), set and read by the
gateway on the portal's own origin.

- `POST /auth/login` {email, password} and `POST /auth/signup` {email, password,
  displayName}: accounts' `login` / `openAccount` upstream; the answer is
  {token, account {id role displayName}} and the refresh token goes into `cb_refresh`.
- `POST /auth/refresh`: spends the cookie with `refreshSession`, answers the next access
  token and rotates the cookie. No cookie, or a refused one: 401 and the cookie cleared.
- `POST /auth/logout`: `signOutEverywhere` with the client's `Authorization` when it
  sends one (every session of the account ends); otherwise, or when that token is
  refused, the cookie's refresh token is spent (`refreshSession`, the next pair thrown
  away) so no copy of it works again. The cookie is cleared either way.

Against cross-site requests: only `Content-Type: application/json` is accepted (415),
which no HTML form can send and which a cross-origin script can send only after a CORS
preflight; an `Origin`, when sent, must be the gateway's own or one of `CB_CORS_ORIGINS`
(403). Upstream calls go to the accounts subgraph's URL (from the supergraph) with the
request's `X-Request-Id`, `X-Forwarded-For` (accounts throttles sign-ins per address) and
`Accept-Language`, as every GraphQL fetch of the edge; accounts' refusals are passed on
in the language asked, with their code and field.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from cbkit.errors import Forbidden, Refusal, Unauthenticated, UnsupportedMediaType
from cbkit.http import refusal_response
from cbkit.i18n import Text, negotiate
from cbkit.logs import request_id
from gateway.edge.body import BadContentLength, BodyTooLarge, read_bounded
from gateway.edge.http import _accept_language as accept_language
from gateway.edge.upstream import Upstream
from gateway.executor import Forwarded
from gateway.supergraph import Supergraph

logger = logging.getLogger(__name__)

COOKIE = "cb_refresh"
COOKIE_PATH = "/auth"
COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{0,200}")
MAX_BODY_BYTES = 16 * 1024
MUTATIONS = ("login", "openAccount", "refreshSession", "signOutEverywhere")
"""The accounts mutations the routes call: the subgraph resolving all of them is asked."""

PAIR = "fragment Pair on AuthPayload { token refreshToken account { id role displayName } }"
LOGIN = (
    "mutation PortalLogin($email: String!, $password: String!) {"
    " login(email: $email, password: $password) { ...Pair } } " + PAIR
)
SIGNUP = (
    "mutation PortalSignup($email: String!, $password: String!, $displayName: String!) {"
    " openAccount(email: $email, password: $password, displayName: $displayName)"
    " { ...Pair } } " + PAIR
)
REFRESH = (
    "mutation PortalRefresh($refreshToken: String!) {"
    " refreshSession(refreshToken: $refreshToken) { ...Pair } } " + PAIR
)
SIGN_OUT = "mutation PortalLogout { signOutEverywhere }"

STATUS = {
    "BAD_USER_INPUT": 400,
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "CONFLICT": 409,
    "PAYLOAD_TOO_LARGE": 413,
    "TOO_MANY_REQUESTS": 429,
}
"""Codes of accounts' refusals and the HTTP status each is passed on with."""


def accounts_subgraph(supergraph: Supergraph) -> str | None:
    """The subgraph that resolves every mutation the routes call; None when the
    supergraph has no such subgraph (the toy supergraphs): no /auth routes then."""
    mutation = supergraph.api_schema.mutation_type
    if mutation is None or any(name not in mutation.fields for name in MUTATIONS):
        return None
    graphs = {tuple(supergraph.field_graphs("Mutation", name)) for name in MUTATIONS}
    if len(graphs) != 1 or len(only := next(iter(graphs))) != 1:
        return None
    return only[0]


@dataclass(frozen=True)
class _Refused:
    """A refusal accounts answered, as the client gets it."""

    status: int
    error: str
    code: str
    field: str | None

    def response(self) -> JSONResponse:
        body = {"error": self.error, "code": self.code, "field": self.field}
        return JSONResponse(body, status_code=self.status, headers=_NO_STORE)


_NO_STORE = {"Cache-Control": "no-store"}


class PortalSessions(Upstream):
    """The /auth routes over accounts' GraphQL at `graphql_url`."""

    def __init__(
        self, graphql_url: str, cors_origins: tuple[str, ...], refresh_max_age: int
    ) -> None:
        super().__init__()
        self._url = graphql_url
        self._origins = frozenset(origin.lower().rstrip("/") for origin in cors_origins)
        self._max_age = refresh_max_age

    async def login(self, request: Request) -> Response:
        return await self._sign_in(request, LOGIN, "login", ("email", "password"))

    async def signup(self, request: Request) -> Response:
        fields = ("email", "password", "displayName")
        return await self._sign_in(request, SIGNUP, "openAccount", fields)

    async def refresh(self, request: Request) -> Response:
        refused = _guard(request, self._origins)
        if refused is not None:
            return refused
        cookie = request.cookies.get(COOKIE)
        if not cookie:
            no_session = Unauthenticated(
                "no session to refresh: sign in", zh="没有可以续期的会话：请登录"
            )
            return _cleared(refusal_response(no_session, request=request))
        answer = await self._ask(request, REFRESH, {"refreshToken": cookie})
        if isinstance(answer, _Refused):
            return _cleared(answer.response())
        if isinstance(answer, Response):
            return answer
        return self._granted(answer["refreshSession"])

    async def logout(self, request: Request) -> Response:
        refused = _guard(request, self._origins)
        if refused is not None:
            return refused
        authorization = request.headers.get("authorization")
        answer: dict[str, Any] | _Refused | Response | None = None
        if authorization:
            answer = await self._ask(request, SIGN_OUT, {}, authorization)
        cookie = request.cookies.get(COOKIE)
        if cookie and not isinstance(answer, dict):  # no token, or refused: spend the cookie
            answer = await self._ask(request, REFRESH, {"refreshToken": cookie})
        if isinstance(answer, Response):
            return _cleared(answer)  # accounts out of reach: the browser forgets all the same
        return _cleared(Response(status_code=204, headers=_NO_STORE))

    async def _sign_in(
        self, request: Request, query: str, field: str, names: tuple[str, ...]
    ) -> Response:
        refused = _guard(request, self._origins)
        if refused is not None:
            return refused
        variables = await _variables(request, names)
        if isinstance(variables, Response):
            return variables
        answer = await self._ask(request, query, variables)
        if isinstance(answer, _Refused):
            return answer.response()
        if isinstance(answer, Response):
            return answer
        return self._granted(answer[field])

    def _granted(self, payload: dict[str, Any]) -> Response:
        """The access token and the account in the body; the refresh token in the cookie
        only."""
        body = {"token": payload["token"], "account": payload["account"]}
        response = JSONResponse(body, headers=_NO_STORE)
        _set_cookie(response, payload["refreshToken"], self._max_age)
        return response

    async def _ask(
        self,
        request: Request,
        query: str,
        variables: dict[str, Any],
        authorization: str | None = None,
    ) -> dict[str, Any] | _Refused | Response:
        """The operation's data, accounts' refusal, or the 503 when accounts cannot be
        asked or answers unusably (logged)."""
        assert self._client is not None, "PortalSessions.start() was not awaited"
        peer = request.client.host if request.client else None
        language = accept_language(request.headers.get("accept-language"))
        headers = Forwarded(authorization, request_id.get(), peer, language).headers()
        try:
            response = await self._client.post(
                self._url, json={"query": query, "variables": variables}, headers=headers
            )
            document = orjson.loads(response.content)
        except (httpx.HTTPError, orjson.JSONDecodeError) as error:
            logger.warning("accounts at %s did not answer usably: %r", self._url, error)
            return _unavailable(request)
        refused = _refusal(document)
        if refused is not None:
            return refused
        data = document.get("data") if isinstance(document, dict) else None
        if not isinstance(data, dict) or not data or any(v is None for v in data.values()):
            logger.warning("accounts answered %d: %r", response.status_code, response.content[:300])
            return _unavailable(request)
        return data


def _refusal(document: Any) -> _Refused | None:
    """accounts' first error when it is a refusal (a code of STATUS); None otherwise."""
    errors = document.get("errors") if isinstance(document, dict) else None
    if not isinstance(errors, list) or not errors or not isinstance(errors[0], dict):
        return None
    first: dict[str, Any] = errors[0]
    extensions = first.get("extensions")
    if not isinstance(extensions, dict):
        return None
    code, field = extensions.get("code"), extensions.get("field")
    if code not in STATUS or not isinstance(first.get("message"), str):
        return None
    return _Refused(STATUS[code], first["message"], code, field if isinstance(field, str) else None)


def _guard(request: Request, origins: frozenset[str]) -> Response | None:
    """403 for a foreign `Origin`, 415 for a body that is not declared JSON."""
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.url.netloc}".lower()
    if origin is not None and origin.lower().rstrip("/") not in origins | {own}:
        refusal: Refusal = Forbidden(
            "this origin may not use the portal's sessions",
            zh="此来源不得使用门户的会话",
        )
        return refusal_response(refusal, request=request)
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        refusal = UnsupportedMediaType(
            "send the request as JSON (Content-Type: application/json)",
            zh="请以 JSON 发送请求（Content-Type: application/json）",
        )
        return refusal_response(refusal, request=request)
    return None


async def _variables(request: Request, names: tuple[str, ...]) -> dict[str, str] | Response:
    """The JSON body's string fields `names`, or the 400 naming what is wrong."""
    try:
        body = orjson.loads(await read_bounded(request, MAX_BODY_BYTES))
    except (BodyTooLarge, BadContentLength, orjson.JSONDecodeError):
        body = None
    if not isinstance(body, dict):
        refusal = Refusal(
            f"the body must be a JSON object with {', '.join(names)}",
            zh=f"请求体必须是包含 {'、'.join(names)} 的 JSON 对象",
        )
        return refusal_response(refusal, request=request)
    for name in names:
        if not isinstance(body.get(name), str):
            refusal = Refusal(f"{name} must be a string", field=name, zh=f"{name} 必须是字符串")
            return refusal_response(refusal, request=request)
    return {name: body[name] for name in names}


def _set_cookie(response: Response, value: str, max_age: int) -> None:
    """`Set-Cookie` written out whole (Starlette would lower-case `SameSite=Strict`)."""
    assert COOKIE_VALUE.fullmatch(value), "a refresh token is URL-safe base64"
    response.headers.append(
        "set-cookie",
        f"{COOKIE}={value}; HttpOnly; Secure; SameSite=Strict; Path={COOKIE_PATH};"
        f" Max-Age={max_age}",
    )


def _cleared(response: Response) -> Response:
    _set_cookie(response, "", 0)
    return response


def _unavailable(request: Request) -> Response:
    rid = request_id.get()
    message = Text(
        f"暂时无法处理：有一项服务不可用（请求编号 {rid}）",
        f"a service is unavailable (request id {rid})",
    )
    body = {
        "error": message(negotiate(request.headers.get("accept-language"))),
        "code": "SERVICE_UNAVAILABLE",
        "field": None,
        "requestId": rid,
    }
    return JSONResponse(body, status_code=503, headers=_NO_STORE)
