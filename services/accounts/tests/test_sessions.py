"""Sessions: short access tokens, refresh tokens spent once each (a reused one signs its
whole family out), and signing out everywhere, by hand or by changing the password."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from cbkit.auth import Role
from cbkit.settings import SettingsError
from cbkit.testing import error_code
from services.accounts.adapters.tokens import TokenIssuer
from services.accounts.service_layer import sessions as sessions_service
from services.accounts.tests.conftest import (
    PASSWORD,
    clock_at,
    from_address,
    gql,
    new_address,
    unique_email,
)

PAIR = "token refreshToken account { id email }"
SIGN_IN = f"""mutation($email: String!, $password: String!) {{
  login(email: $email, password: $password) {{ {PAIR} }} }}"""
REFRESH = f"""mutation($token: String!) {{ refreshSession(refreshToken: $token) {{ {PAIR} }} }}"""
CHANGE = f"""mutation($current: String!, $new: String!) {{
  changePassword(currentPassword: $current, newPassword: $new) {{ {PAIR} }} }}"""
OPEN = f"""mutation($email: String!, $password: String!, $name: String!) {{
  openAccount(email: $email, password: $password, displayName: $name) {{ {PAIR} }} }}"""
SIGN_OUT = "mutation { signOutEverywhere }"
ME = "{ me { id } }"
NEW_PASSWORD = "another-long-password"


async def signed_in(accounts, email: str, password: str = PASSWORD) -> dict:
    body = await gql(accounts, SIGN_IN, {"email": email, "password": password})
    assert "errors" not in body, body
    pair: dict = body["data"]["login"]
    return pair


async def refreshed(accounts, refresh_token: str) -> dict:
    return await gql(accounts, REFRESH, {"token": refresh_token})


def refusal(body: dict) -> tuple[str, str | None, str]:
    code, field = error_code(body)
    return code, field, body["errors"][0]["message"]


def lifetime(token: str) -> timedelta:
    claims = jwt.decode(token, options={"verify_signature": False})
    return timedelta(seconds=claims["exp"] - claims["iat"])


async def test_signing_in_or_opening_an_account_gives_a_short_token_and_a_refresh_token(
    accounts,
):
    email = unique_email("Gao Yan")
    variables = {"email": email, "password": PASSWORD, "name": "Gao Yan"}
    opened = await gql(accounts, OPEN, variables)
    pair = await signed_in(accounts, email)
    first = opened["data"]["openAccount"]["refreshToken"]
    assert len(first) >= 43 and len(pair["refreshToken"]) >= 43
    assert first != pair["refreshToken"]
    assert lifetime(pair["token"]) == timedelta(minutes=15)


async def test_a_refresh_token_is_spent_for_the_next_pair(accounts, people):
    learner = await people.learner()
    pair = await signed_in(accounts, learner.email)
    body = await refreshed(accounts, pair["refreshToken"])
    following = body["data"]["refreshSession"]
    assert following["account"] == {"id": learner.id, "email": learner.email}
    assert following["refreshToken"] != pair["refreshToken"]
    assert (await gql(accounts, ME, token=following["token"]))["data"]["me"] == {"id": learner.id}
    assert "errors" not in await refreshed(accounts, following["refreshToken"])


async def test_a_spent_refresh_token_signs_out_its_whole_family_and_no_other(accounts, people):
    learner = await people.learner()
    stolen = await signed_in(accounts, learner.email)
    elsewhere = await signed_in(accounts, learner.email)
    following = (await refreshed(accounts, stolen["refreshToken"]))["data"]["refreshSession"]

    reused = await refreshed(accounts, stolen["refreshToken"])
    after_reuse = await refreshed(accounts, following["refreshToken"])

    assert refusal(reused) == (
        "UNAUTHENTICATED",
        "refreshToken",
        "this refresh token was already used, so every session it belongs to is signed out:"
        " sign in again",
    )
    assert refusal(after_reuse)[2] == "this session was signed out: sign in again"
    assert "errors" not in await refreshed(accounts, elsewhere["refreshToken"])


async def test_two_refreshes_at_once_with_one_token_are_taken_for_a_reuse(accounts, people):
    learner = await people.learner()
    pair = await signed_in(accounts, learner.email)
    answers = await asyncio.gather(*(refreshed(accounts, pair["refreshToken"]) for _ in range(2)))
    assert Counter("errors" in a for a in answers) == {False: 1, True: 1}
    (winner,) = [a["data"]["refreshSession"] for a in answers if "errors" not in a]
    assert refusal(await refreshed(accounts, winner["refreshToken"]))[0] == "UNAUTHENTICATED"


async def test_an_unknown_or_expired_refresh_token_is_refused(accounts, people):
    learner = await people.learner()
    pair = await signed_in(accounts, learner.email)
    unknown = await refreshed(accounts, "not-a-refresh-token")
    with clock_at(accounts, datetime.now(UTC) + timedelta(days=30, minutes=1)):
        expired = await refreshed(accounts, pair["refreshToken"])
    assert refusal(unknown) == (
        "UNAUTHENTICATED",
        "refreshToken",
        "unknown refresh token: sign in again",
    )
    assert refusal(expired)[2] == "the refresh token expired: sign in again"


async def test_signing_out_everywhere_revokes_every_refresh_token_of_the_account(accounts, people):
    learner, other = await people.learner(), await people.learner("Other")
    sessions = [await signed_in(accounts, learner.email) for _ in range(2)]
    spent = (await refreshed(accounts, sessions[0]["refreshToken"]))["data"]["refreshSession"]
    others = await signed_in(accounts, other.email)

    ended = await gql(accounts, SIGN_OUT, token=learner.token)

    # the two sign-ins, and the session opening the account started
    assert ended == {"data": {"signOutEverywhere": 3}}
    for pair in (spent, sessions[1]):
        assert refusal(await refreshed(accounts, pair["refreshToken"]))[2] == (
            "this session was signed out: sign in again"
        )
    assert "errors" not in await refreshed(accounts, others["refreshToken"])
    # an access token lives on until it expires, CB_ACCESS_TOKEN_MINUTES at most
    assert (await gql(accounts, ME, token=spent["token"]))["data"]["me"] == {"id": learner.id}


async def test_changing_the_password_signs_out_every_other_session(accounts, people):
    learner = await people.learner()
    before = await signed_in(accounts, learner.email)
    body = await gql(accounts, CHANGE, {"current": PASSWORD, "new": NEW_PASSWORD}, learner.token)
    changed = body["data"]["changePassword"]

    assert refusal(await refreshed(accounts, before["refreshToken"]))[0] == "UNAUTHENTICATED"
    assert "errors" not in await refreshed(accounts, changed["refreshToken"])
    old = await gql(accounts, SIGN_IN, {"email": learner.email, "password": PASSWORD})
    assert refusal(old)[2] == "wrong email or password"
    assert (await signed_in(accounts, learner.email, NEW_PASSWORD))["account"]["id"] == learner.id


@pytest.mark.parametrize(
    ("current", "new", "code", "field"),
    [
        ("not-my-password", NEW_PASSWORD, "FORBIDDEN", "currentPassword"),
        (PASSWORD, "short", "BAD_USER_INPUT", "newPassword"),
    ],
)
async def test_a_password_change_is_refused_naming_the_field(
    accounts, people, current, new, code, field
):
    learner = await people.learner()
    variables = {"current": current, "new": new}
    body = await from_address(accounts, new_address(), CHANGE, variables, learner.token)
    assert error_code(body) == (code, field)
    assert (await signed_in(accounts, learner.email))["account"]["id"] == learner.id


async def test_guessing_the_current_password_is_throttled_like_signing_in(accounts, people):
    learner, address = await people.learner(), new_address()
    variables = {"current": "not-my-password", "new": NEW_PASSWORD}
    answers = [
        await from_address(accounts, address, CHANGE, variables, learner.token) for _ in range(6)
    ]
    assert [error_code(a) for a in answers] == [("FORBIDDEN", "currentPassword")] * 5 + [
        ("TOO_MANY_REQUESTS", "currentPassword")
    ]


@pytest.mark.parametrize("query", [CHANGE, SIGN_OUT])
async def test_only_a_signed_in_account_changes_its_password_or_signs_out(accounts, query):
    body = await gql(accounts, query, {"current": PASSWORD, "new": NEW_PASSWORD})
    assert error_code(body)[0] == "UNAUTHENTICATED"


async def test_only_a_hash_of_a_refresh_token_is_kept(accounts, people):
    learner = await people.learner()
    token = (await signed_in(accounts, learner.email))["refreshToken"]
    kept = await accounts.runtime.pool.fetch(
        "SELECT token_hash FROM refresh_tokens WHERE account_id = $1", uuid.UUID(learner.id)
    )
    hashes = {bytes(row["token_hash"]) for row in kept}
    assert hashlib.sha256(token.encode()).digest() in hashes
    assert token.encode() not in hashes


def test_token_lifetimes_come_from_the_settings(stack):
    issuer = TokenIssuer.from_settings(
        stack.settings("accounts", CB_ACCESS_TOKEN_MINUTES="5", CB_REFRESH_TOKEN_DAYS="7")
    )
    assert lifetime(issuer.issue("someone", Role.LEARNER)) == timedelta(minutes=5)
    assert issuer.refresh_lifetime == timedelta(days=7)


@pytest.mark.parametrize("name", ["CB_ACCESS_TOKEN_MINUTES", "CB_REFRESH_TOKEN_DAYS"])
@pytest.mark.parametrize("value", ["0", "-3", "a quarter hour"])
def test_a_bad_token_lifetime_is_refused_by_name(stack, name, value):
    with pytest.raises(SettingsError, match=name):
        TokenIssuer.from_settings(stack.settings("accounts", **{name: value}))


async def test_expired_refresh_tokens_and_quiet_sign_in_counts_are_forgotten(accounts, people):
    learner = await people.learner()
    live = (await signed_in(accounts, learner.email))["refreshToken"]
    with clock_at(accounts, datetime.now(UTC) - timedelta(days=31)):
        expired = (await signed_in(accounts, learner.email))["refreshToken"]
    pool = accounts.runtime.pool
    async with pool.acquire() as conn:
        await sessions_service.forget_the_past(conn, datetime.now(UTC))
        kept = await conn.fetch("SELECT token_hash FROM refresh_tokens")
        quiet = await conn.fetchval(
            "SELECT count(*) FROM sign_in_attempts WHERE last_at <= now() - interval '15 minutes'"
        )
    hashes = {bytes(row["token_hash"]) for row in kept}
    assert hashlib.sha256(live.encode()).digest() in hashes
    assert hashlib.sha256(expired.encode()).digest() not in hashes
    assert quiet == 0
