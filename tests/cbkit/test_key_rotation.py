"""Keys come and go from accounts' JWKS: a removed key is refused within one refresh
interval, a new one is picked up on its first token, and an unknown kid cannot make
a service hammer the JWKS."""

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cbkit.auth import AuthError, KeySet, Role, jwks, sign_token, verify_token
from cbkit.testing import serve_tcp

INTERVAL = 0.4


@dataclass
class Jwks:
    """What the tiny JWKS server serves, and how often it was asked."""

    url: str = ""
    keys: list[Ed25519PrivateKey] = field(default_factory=list)
    fetches: int = 0
    down: bool = False

    def document(self) -> dict:
        return {"keys": [jwks(k.public_key())["keys"][0] for k in self.keys]}


@pytest.fixture
async def served() -> AsyncIterator[Jwks]:
    state = Jwks(keys=[Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()])

    async def document(request: Request) -> Response:
        state.fetches += 1
        if state.down:
            return Response("accounts is restarting", status_code=503)
        return JSONResponse(state.document())

    async with serve_tcp(Starlette(routes=[Route("/jwks", document)])) as url:
        state.url = f"{url}/jwks"
        yield state


def token(key: Ed25519PrivateKey) -> str:
    return sign_token(key, "a-1", Role.LEARNER, timedelta(minutes=5))


async def trusted(key: Ed25519PrivateKey, keys: KeySet) -> bool:
    try:
        await verify_token(token(key), keys)
    except AuthError:
        return False
    return True


async def test_a_key_removed_from_the_jwks_is_refused_within_one_refresh_interval(served):
    old, new = served.keys
    keys = KeySet(jwks_url=served.url, refresh_seconds=INTERVAL)
    assert await trusted(old, keys)
    served.keys = [new]

    await asyncio.sleep(INTERVAL)
    assert not await trusted(old, keys)
    assert await trusted(new, keys)


async def test_an_unknown_kid_refetches_the_jwks_at_most_once_per_pause(served):
    known, _ = served.keys
    keys = KeySet(jwks_url=served.url, refresh_seconds=60, refetch_seconds=INTERVAL)
    assert await trusted(known, keys)
    assert served.fetches == 1

    stranger = Ed25519PrivateKey.generate()
    for _ in range(20):
        assert not await trusted(stranger, keys)
    assert served.fetches == 1

    served.keys.append(stranger)  # accounts rotated to a new key
    await asyncio.sleep(INTERVAL)
    assert await trusted(stranger, keys)
    assert served.fetches == 2


async def test_while_the_jwks_cannot_be_read_the_last_keys_stay(served, caplog):
    known, _ = served.keys
    keys = KeySet(jwks_url=served.url, refresh_seconds=INTERVAL, refetch_seconds=INTERVAL)
    assert await trusted(known, keys)
    served.down = True

    await asyncio.sleep(INTERVAL)
    assert await trusted(known, keys)
    assert "cannot read the signing keys" in caplog.text

    served.down = False
    served.keys = served.keys[1:]
    await asyncio.sleep(INTERVAL)
    assert not await trusted(known, keys)


async def test_keys_from_a_file_are_read_again_too(tmp_path: Path):
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    file = tmp_path / "jwks.json"
    file.write_text(json.dumps(Jwks(keys=[old, new]).document()))
    keys = KeySet.configured(str(file), "http://127.0.0.1:9/unused", refresh_seconds=INTERVAL)
    assert await trusted(old, keys)

    file.write_text(json.dumps(Jwks(keys=[new]).document()))
    await asyncio.sleep(INTERVAL)
    assert not await trusted(old, keys)
    assert await trusted(new, keys)


def test_services_and_the_gateway_read_the_keys_again_every_minute_by_default(tmp_path: Path):
    file = tmp_path / "jwks.json"
    file.write_text(json.dumps(Jwks(keys=[Ed25519PrivateKey.generate()]).document()))
    for keys in (KeySet(jwks_url="http://127.0.0.1:9/jwks"), KeySet.configured(str(file), "")):
        assert keys.refresh_seconds == 60
