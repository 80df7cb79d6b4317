"""Pytest plugin (`-p cbkit.testing`): real PostgreSQL and RabbitMQ under a prefix
unique to the test run, so tests never touch a running system and the reverse;
everything under the prefix is removed when the run ends."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aio_pika
import httpx
import jwt
import orjson
import pytest
import pytest_asyncio
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from cbkit import db
from cbkit.app import ServiceSpec, create_app
from cbkit.auth import ALGORITHM, AUDIENCE, ISSUER, Role, jwks, key_id
from cbkit.settings import Settings, load_settings


class TestStack:
    """The run's prefix, its settings per service, and a key that signs test tokens."""

    __test__ = False

    def __init__(self, jwks_file: Path) -> None:
        self.prefix = f"cbtest_{uuid.uuid4().hex[:8]}"
        self.private_key = Ed25519PrivateKey.generate()
        jwks_file.write_bytes(orjson.dumps(jwks(self.private_key.public_key())))
        self.jwks_file = jwks_file
        self.private_key_file = jwks_file.with_name("signing.pem")
        self.private_key_file.write_bytes(
            self.private_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        )
        self.services: set[str] = set()

    def settings(self, service: str, **overrides: str) -> Settings:
        self.services.add(service)
        env = {
            **{k: v for k, v in os.environ.items() if k in ("CB_POSTGRES_URL", "CB_AMQP_URL")},
            "CB_ENV": "test",
            "CB_QUEUE_PREFIX": self.prefix,
            "CB_EXCHANGE": f"{self.prefix}.events",
            "CB_JWT_PUBLIC_KEY_FILE": str(self.jwks_file),
            "CB_JWT_PRIVATE_KEY_FILE": str(self.private_key_file),
            **overrides,
        }
        return load_settings(service, env)

    def token(
        self, account_id: str, role: Role, expires_in: timedelta = timedelta(minutes=15)
    ) -> str:
        now = datetime.now(UTC)
        claims = {
            "sub": account_id,
            "role": role.value,
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + expires_in,
        }
        return jwt.encode(
            claims,
            self.private_key,
            ALGORITHM,
            headers={"kid": key_id(self.private_key.public_key())},
        )

    async def cleanup(self) -> None:
        base = self.settings("cleanup")
        connection = await aio_pika.connect(base.amqp_url)
        async with connection:
            channel = await connection.channel()
            for service in self.services:
                settings = self.settings(service)
                for queue in (settings.queue, settings.dead_letter_queue):
                    await channel.queue_delete(queue)
                await db.drop_database(settings.postgres_url, settings.database)
            for exchange in (base.exchange, base.dead_letter_exchange):
                await channel.exchange_delete(exchange)


@pytest.fixture(scope="session")
def _jwks_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys") / "jwks.json"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def stack(_jwks_file: Path) -> AsyncIterator[TestStack]:
    test_stack = TestStack(_jwks_file)
    yield test_stack
    await test_stack.cleanup()


RunService = Callable[..., contextlib.AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture(scope="session")
def run_service(stack: TestStack) -> RunService:
    """Start a service in-process (lifespan included) and talk to it over ASGI."""

    @contextlib.asynccontextmanager
    async def running(spec: ServiceSpec, **overrides: str) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(spec, stack.settings(spec.name, **overrides))
        runtime = app.state.runtime
        await runtime.start()
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                client.runtime = runtime  # type: ignore[attr-defined]
                yield client
        finally:
            await runtime.stop()

    return running


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
    """Wait until `check()` is true: events cross the broker asynchronously."""
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {within}s")
        await asyncio.sleep(0.05)
