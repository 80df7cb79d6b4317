"""Only a token accounts signed, unaltered and unexpired, lets anyone in."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cbkit.auth import AUDIENCE, ISSUER, Role
from services.accounts.adapters.tokens import TokenIssuer
from services.accounts.tests.conftest import codes, gql

ME = "{ me { id role } }"


def _claims(account_id: str, role: str = "LEARNER", **changes) -> dict:
    now = datetime.now(UTC)
    claims = {"sub": account_id, "role": role, "iss": ISSUER, "aud": AUDIENCE, "iat": now}
    return {**claims, "exp": now + timedelta(minutes=5), **changes}


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _with_payload(token: str, payload: dict) -> str:
    header, _, signature = token.split(".")
    return f"{header}.{_b64(payload)}.{signature}"


def _issuer(accounts) -> TokenIssuer:
    return accounts.runtime.deps.tokens


def _signed(stack, claims: dict, kid: str) -> str:
    """Signed with the service's own key (the test run's), as accounts would."""
    return jwt.encode(claims, stack.private_key, "EdDSA", headers={"kid": kid})


def _kid(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


async def test_a_token_from_sign_in_opens_the_account(accounts, people):
    learner = await people.learner()
    claims = jwt.decode(learner.token, options={"verify_signature": False})
    lifetime = claims["exp"] - claims["iat"]
    assert (claims["sub"], claims["role"]) == (learner.id, "LEARNER")
    assert lifetime == 15 * 60
    me = await gql(accounts, ME, token=learner.token)
    assert me["data"]["me"] == {"id": learner.id, "role": "LEARNER"}


async def _refused(accounts, token: str) -> None:
    body = await gql(accounts, ME, token=token)
    assert codes(body) == ["UNAUTHENTICATED"], body
    assert body["data"] is None or body["data"]["me"] is None


async def test_an_expired_token_is_refused(accounts, people):
    learner = await people.learner()
    expired = _issuer(accounts).issue(learner.id, Role.LEARNER, lifetime=timedelta(seconds=-1))
    await _refused(accounts, expired)


async def test_a_token_whose_claims_were_changed_is_refused(accounts, people):
    learner = await people.learner()
    payload = jwt.decode(learner.token, options={"verify_signature": False})
    await _refused(accounts, _with_payload(learner.token, {**payload, "role": "ADMIN"}))
    await _refused(accounts, _with_payload(learner.token, {**payload, "sub": people.admin.id}))


async def test_a_token_signed_with_another_key_is_refused_even_under_the_right_kid(
    accounts, people
):
    learner = await people.learner()
    forged = jwt.encode(
        _claims(learner.id, "ADMIN"),
        Ed25519PrivateKey.generate(),
        "EdDSA",
        headers={"kid": _kid(learner.token)},
    )
    await _refused(accounts, forged)


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
async def test_an_unsigned_token_is_refused(accounts, people, alg):
    learner = await people.learner()
    header = {"alg": alg, "typ": "JWT", "kid": _kid(learner.token)}
    claims = {**_claims(learner.id, "ADMIN"), "iat": 0, "exp": 4_000_000_000}
    await _refused(accounts, f"{_b64(header)}.{_b64(claims)}.")


async def test_a_token_signed_with_the_public_key_as_a_shared_secret_is_refused(accounts, people):
    learner = await people.learner()
    public = _issuer(accounts).jwks()["keys"][0]["x"].encode()
    header = {"alg": "HS256", "typ": "JWT", "kid": _kid(learner.token)}
    claims = {**_claims(learner.id, "ADMIN"), "iat": 0, "exp": 4_000_000_000}
    signing_input = f"{_b64(header)}.{_b64(claims)}"
    mac = hmac.new(public, signing_input.encode(), hashlib.sha256).digest()
    signature = base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    await _refused(accounts, f"{signing_input}.{signature}")


@pytest.mark.parametrize("missing", ["exp", "sub", "role"])
async def test_a_token_missing_a_claim_is_refused(accounts, people, stack, missing):
    learner = await people.learner()
    claims = {k: v for k, v in _claims(learner.id).items() if k != missing}
    await _refused(accounts, _signed(stack, claims, _kid(learner.token)))


async def test_a_token_for_another_audience_or_issuer_is_refused(accounts, people, stack):
    learner = await people.learner()
    kid = _kid(learner.token)
    await _refused(accounts, _signed(stack, _claims(learner.id, aud="elsewhere"), kid))
    await _refused(accounts, _signed(stack, _claims(learner.id, iss="someone-else"), kid))


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer not.a.jwt"])
async def test_a_malformed_authorization_header_is_refused(accounts, header):
    response = await accounts.post(
        "/graphql", json={"query": ME}, headers={"Authorization": header}
    )
    assert codes(response.json()) == ["UNAUTHENTICATED"]
