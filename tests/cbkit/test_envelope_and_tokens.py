import base64
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cbkit.auth import AuthError, KeySet, Role, jwks, verify_token
from cbkit.envelope import EnvelopeError, Event


def test_an_event_round_trips_as_a_cloudevent_with_exact_credits():
    event = Event(
        "credits.converted", "/services/conversion", "learner-1", {"credits": Decimal("2.5")}
    )
    raw = json.loads(event.to_json())
    assert raw["type"] == "org.creditbank.credits.converted.v1"
    assert raw["data"] == {"credits": "2.5"}
    assert raw["time"].endswith("Z")
    assert Event.from_json(event.to_json()) == Event(
        "credits.converted",
        "/services/conversion",
        "learner-1",
        {"credits": "2.5"},
        id=event.id,
        time=event.time,
    )


def test_a_foreign_message_is_not_an_event():
    with pytest.raises(EnvelopeError):
        Event.from_json(b'{"hello": "world"}')


@pytest.fixture
def keys(stack):
    return KeySet.from_jwks(json.loads(stack.jwks_file.read_text()))


async def test_a_valid_token_names_the_caller(stack, keys):
    principal = await verify_token(stack.token("a-1", Role.REVIEWER), keys)
    assert (principal.account_id, principal.role) == ("a-1", Role.REVIEWER)


async def test_an_expired_token_is_refused(stack, keys):
    with pytest.raises(AuthError, match="expired"):
        await verify_token(stack.token("a-1", Role.ADMIN, timedelta(seconds=-5)), keys)


async def test_a_tampered_token_is_refused(stack, keys):
    header, claims, signature = stack.token("a-1", Role.LEARNER).split(".")
    payload = json.loads(base64.urlsafe_b64decode(claims + "=="))
    payload["role"] = "ADMIN"
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    with pytest.raises(AuthError):
        await verify_token(f"{header}.{forged}.{signature}", keys)


async def test_a_token_signed_by_another_key_is_refused(stack):
    other = KeySet.from_jwks(jwks(Ed25519PrivateKey.generate().public_key()))
    with pytest.raises(AuthError):
        await verify_token(stack.token("a-1", Role.ADMIN), other)


async def test_an_unsigned_token_is_refused(stack, keys):
    _, claims, _ = stack.token("a-1", Role.ADMIN).split(".")
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    with pytest.raises(AuthError, match="algorithm"):
        await verify_token(f"{header}.{claims}.", keys)


async def test_requests_arriving_while_keys_are_fetched_all_wait_for_them(stack):
    import asyncio

    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from cbkit.testing import serve_tcp

    async def slow_jwks(request):
        await asyncio.sleep(0.3)
        return JSONResponse(json.loads(stack.jwks_file.read_text()))

    app = Starlette(routes=[Route("/jwks", slow_jwks)])
    async with serve_tcp(app) as url:
        keys = KeySet(jwks_url=f"{url}/jwks")
        token = stack.token("a-1", Role.LEARNER)
        principals = await asyncio.gather(*(verify_token(token, keys) for _ in range(5)))
    assert {p.account_id for p in principals} == {"a-1"}
