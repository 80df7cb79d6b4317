"""The portal's sessions on the running system (`/auth/*`, gateway/edge/session.py): the
access token in the answer, the refresh token only in an `HttpOnly; Secure;
SameSite=Strict` cookie on `/auth`, rotated on every refresh, and cross-site requests
refused."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from http.cookies import SimpleCookie

import httpx
import pytest
import pytest_asyncio

from cbkit.testing import RunningSystem
from gateway.app import create_app
from gateway.compose import SUPERGRAPH_PATH
from gateway.edge.config import EdgeConfig
from gateway.edge.session import COOKIE
from gateway.tests.conftest import ToySubgraphs
from gateway.tests.harness import serve_asgi
from gateway.tests.world import PASSWORD

JSON = {"Content-Type": "application/json"}
ME = "{ me { id displayName } }"
THIRTY_DAYS = 30 * 24 * 60 * 60


@pytest_asyncio.fixture(loop_scope="session")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=30) as http:
        yield http


def refresh_cookie(response: httpx.Response) -> dict[str, str]:
    """The attributes of the one `cb_refresh` cookie the response sets (its value under
    "value"); every attribute's name in lower case."""
    found = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{COOKIE}=")]
    assert len(found) == 1, response.headers.get_list("set-cookie")
    value, *attributes = (part.strip() for part in found[0].split(";"))
    cookie = {"value": value.removeprefix(f"{COOKIE}=").strip('"')}
    for attribute in attributes:
        name, _, setting = attribute.partition("=")
        cookie[name.lower()] = setting
    return cookie


def sent(value: str) -> dict[str, str]:
    """The cookie as the browser sends it back (httpx keeps Secure cookies off plain
    HTTP, so the header is written by hand)."""
    cookie: SimpleCookie = SimpleCookie()
    cookie[COOKIE] = value
    return {**JSON, "Cookie": cookie.output(header="", attrs=[]).strip()}


def assert_cleared(response: httpx.Response) -> None:
    cookie = refresh_cookie(response)
    assert cookie["value"] == ""
    assert cookie["max-age"] == "0"
    assert cookie["path"] == "/auth"


async def sign_up(client: httpx.AsyncClient, gateway: str) -> tuple[str, httpx.Response]:
    email = f"portal.{uuid.uuid4().hex[:12]}@example.org"
    body = {"email": email, "password": PASSWORD, "displayName": "Portal Learner"}
    response = await client.post(f"{gateway}/auth/signup", json=body)
    assert response.status_code == 200, response.text
    return email, response


async def me(client: httpx.AsyncClient, system: RunningSystem, token: str) -> dict[str, str]:
    response = await client.post(
        system.gateway, json={"query": ME}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    found: dict[str, str] = response.json()["data"]["me"]
    return found


async def test_login_answers_the_access_token_and_keeps_the_refresh_token_in_the_cookie(
    running_system: RunningSystem, client: httpx.AsyncClient
) -> None:
    gateway = running_system.url("gateway")
    email, signed_up = await sign_up(client, gateway)

    response = await client.post(
        f"{gateway}/auth/login", json={"email": email, "password": PASSWORD}
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"token", "account"}
    assert set(body["account"]) == {"id", "role", "displayName"}
    assert body["account"]["role"] == "LEARNER"
    assert body["account"]["displayName"] == "Portal Learner"
    assert body["account"]["id"] == signed_up.json()["account"]["id"]
    cookie = refresh_cookie(response)
    assert len(cookie["value"]) >= 40
    assert cookie["value"] not in response.text
    assert cookie["value"] != refresh_cookie(signed_up)["value"]
    assert {"httponly", "secure"} <= set(cookie)
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/auth"
    assert cookie["max-age"] == str(THIRTY_DAYS)
    assert response.headers["cache-control"] == "no-store"
    assert (await me(client, running_system, body["token"]))["id"] == body["account"]["id"]


async def test_signup_opens_a_learner_account_signed_in_with_the_cookie(
    running_system: RunningSystem, client: httpx.AsyncClient
) -> None:
    _email, response = await sign_up(client, running_system.url("gateway"))

    body = response.json()
    assert set(body) == {"token", "account"}
    assert body["account"]["role"] == "LEARNER"
    cookie = refresh_cookie(response)
    assert cookie["value"] not in response.text
    assert {"httponly", "secure"} <= set(cookie) and cookie["samesite"] == "Strict"
    assert (await me(client, running_system, body["token"]))["displayName"] == "Portal Learner"


async def test_signup_with_a_taken_email_is_refused_at_its_field_in_the_language_asked(
    running_system: RunningSystem, client: httpx.AsyncClient
) -> None:
    gateway = running_system.url("gateway")
    email, _ = await sign_up(client, gateway)
    body = {"email": email, "password": PASSWORD, "displayName": "Someone Else"}

    response = await client.post(
        f"{gateway}/auth/signup", json=body, headers={"Accept-Language": "zh-CN"}
    )

    assert response.status_code == 409, response.text
    assert response.json() == {
        "error": "已有账户使用此电子邮箱",
        "code": "CONFLICT",
        "field": "email",
    }
    assert COOKIE not in response.headers.get("set-cookie", "")


async def test_refresh_rotates_the_cookie_and_the_spent_one_signs_the_session_out(
    running_system: RunningSystem, client: httpx.AsyncClient
) -> None:
    gateway = running_system.url("gateway")
    _email, signed_up = await sign_up(client, gateway)
    first = refresh_cookie(signed_up)["value"]

    refreshed = await client.post(f"{gateway}/auth/refresh", headers=sent(first))

    assert refreshed.status_code == 200, refreshed.text
    body = refreshed.json()
    assert set(body) == {"token", "account"}
    assert body["account"] == signed_up.json()["account"]
    assert (await me(client, running_system, body["token"]))["id"] == body["account"]["id"]
    rotated = refresh_cookie(refreshed)
    assert rotated["value"] not in (first, "")
    assert rotated["value"] not in refreshed.text
    assert {"httponly", "secure"} <= set(rotated) and rotated["samesite"] == "Strict"
    assert rotated["path"] == "/auth" and rotated["max-age"] == str(THIRTY_DAYS)

    # the old value again: refused, and (refreshSession's reuse rule) its family revoked
    reused = await client.post(f"{gateway}/auth/refresh", headers=sent(first))
    assert reused.status_code == 401, reused.text
    assert reused.json()["code"] == "UNAUTHENTICATED"
    assert reused.json()["field"] == "refreshToken"
    assert "already used" in reused.json()["error"]
    assert_cleared(reused)
    after = await client.post(f"{gateway}/auth/refresh", headers=sent(rotated["value"]))
    assert after.status_code == 401, after.text
    assert "signed out" in after.json()["error"]
    assert_cleared(after)


async def test_a_wrong_password_is_refused_in_the_language_asked_and_sets_no_cookie(
    running_system: RunningSystem, client: httpx.AsyncClient
) -> None:
    gateway = running_system.url("gateway")
    email, _ = await sign_up(client, gateway)

    response = await client.post(
        f"{gateway}/auth/login",
        json={"email": email, "password": "not-the-password"},
        headers={"Accept-Language": "zh-CN,zh;q=0.9"},
    )

    assert response.status_code == 401, response.text
    assert response.json() == {
        "error": "电子邮箱或密码错误",
        "code": "UNAUTHENTICATED",
        "field": None,
    }
    assert "set-cookie" not in response.headers
    english = await client.post(
        f"{gateway}/auth/login", json={"email": email, "password": "not-the-password"}
    )
    assert english.json()["error"] == "wrong email or password"


async def test_refresh_without_the_cookie_is_401_and_clears_it(
    running_system: RunningSystem, client: httpx.AsyncClient
) -> None:
    gateway = running_system.url("gateway")

    response = await client.post(f"{gateway}/auth/refresh", headers=JSON)
    unknown = await client.post(f"{gateway}/auth/refresh", headers=sent("no-such-token"))

    assert response.status_code == 401, response.text
    assert response.json()["code"] == "UNAUTHENTICATED"
    assert set(response.json()) == {"error", "code", "field"}
    assert_cleared(response)
    assert unknown.status_code == 401, unknown.text
    assert unknown.json()["field"] == "refreshToken"
    assert "unknown refresh token" in unknown.json()["error"]
    assert_cleared(unknown)


@pytest.mark.parametrize("path", ["/auth/login", "/auth/signup", "/auth/refresh", "/auth/logout"])
async def test_a_foreign_origin_is_refused_with_403(
    running_system: RunningSystem, client: httpx.AsyncClient, path: str
) -> None:
    gateway = running_system.url("gateway")
    email, signed_up = await sign_up(client, gateway)
    cookie = refresh_cookie(signed_up)["value"]
    body = {"email": email, "password": PASSWORD, "displayName": "Portal Learner"}

    response = await client.post(
        f"{gateway}{path}",
        json=body,
        headers={**sent(cookie), "Origin": "https://attacker.example"},
    )

    assert response.status_code == 403, response.text
    assert response.json()["code"] == "FORBIDDEN"
    assert "set-cookie" not in response.headers
    # the session was not touched: its cookie still refreshes, from the gateway's own origin
    own = await client.post(f"{gateway}/auth/refresh", headers={**sent(cookie), "Origin": gateway})
    assert own.status_code == 200, own.text


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None]
)
async def test_a_body_not_declared_json_is_refused_with_415(
    running_system: RunningSystem, client: httpx.AsyncClient, content_type: str | None
) -> None:
    gateway = running_system.url("gateway")
    email, signed_up = await sign_up(client, gateway)
    cookie = refresh_cookie(signed_up)["value"]
    headers = {"Content-Type": content_type} if content_type else {}

    login = await client.post(
        f"{gateway}/auth/login",
        content=f'{{"email": "{email}", "password": "{PASSWORD}"}}',
        headers=headers,
    )
    refresh = await client.post(
        f"{gateway}/auth/refresh", headers={"Cookie": sent(cookie)["Cookie"], **headers}
    )

    for response in (login, refresh):
        assert response.status_code == 415, response.text
        assert response.json()["code"] == "UNSUPPORTED_MEDIA_TYPE"
        assert "set-cookie" not in response.headers


async def test_logout_with_the_access_token_signs_out_everywhere_and_clears_the_cookie(
    running_system: RunningSystem, client: httpx.AsyncClient
) -> None:
    gateway = running_system.url("gateway")
    email, signed_up = await sign_up(client, gateway)
    other = await client.post(f"{gateway}/auth/login", json={"email": email, "password": PASSWORD})
    cookie, other_cookie = refresh_cookie(signed_up)["value"], refresh_cookie(other)["value"]

    response = await client.post(
        f"{gateway}/auth/logout",
        headers={**sent(cookie), "Authorization": f"Bearer {signed_up.json()['token']}"},
    )

    assert response.status_code == 204, response.text
    assert_cleared(response)
    for spent in (cookie, other_cookie):
        refused = await client.post(f"{gateway}/auth/refresh", headers=sent(spent))
        assert refused.status_code == 401, refused.text
        assert "signed out" in refused.json()["error"]


async def test_logout_without_an_access_token_spends_the_cookie_and_clears_it(
    running_system: RunningSystem, client: httpx.AsyncClient
) -> None:
    gateway = running_system.url("gateway")
    _email, signed_up = await sign_up(client, gateway)
    cookie = refresh_cookie(signed_up)["value"]

    response = await client.post(f"{gateway}/auth/logout", headers=sent(cookie))
    nothing = await client.post(f"{gateway}/auth/logout", headers=JSON)

    assert response.status_code == 204, response.text
    assert_cleared(response)
    refused = await client.post(f"{gateway}/auth/refresh", headers=sent(cookie))
    assert refused.status_code == 401, refused.text
    assert nothing.status_code == 204, nothing.text
    assert_cleared(nothing)


async def test_an_origin_of_cb_cors_origins_may_use_the_sessions(
    running_system: RunningSystem, client: httpx.AsyncClient
) -> None:
    urls = {name: f"{running_system.url(name)}/graphql" for name in RunningSystem.SERVICES}
    config = EdgeConfig(cors_origins=("https://portal.example",), refresh_token_days=7)
    app = create_app(SUPERGRAPH_PATH.read_text(), urls, config)
    async with serve_asgi(app) as gateway:
        _email, signed_up = await sign_up(client, gateway)
        cookie = refresh_cookie(signed_up)
        assert cookie["max-age"] == str(7 * 24 * 60 * 60)

        allowed = await client.post(
            f"{gateway}/auth/refresh",
            headers={**sent(cookie["value"]), "Origin": "https://portal.example"},
        )
        foreign = await client.post(
            f"{gateway}/auth/refresh",
            headers={**sent(refresh_cookie(allowed)["value"]), "Origin": "https://other.example"},
        )

    assert allowed.status_code == 200, allowed.text
    assert foreign.status_code == 403, foreign.text


async def test_a_supergraph_without_accounts_gets_no_auth_routes(toys: ToySubgraphs) -> None:
    app = create_app(toys.supergraph)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as toy:
        response = await toy.post("/auth/login", json={"email": "a@b.example", "password": "x"})

    assert response.status_code == 404
