"""The run's stack: a prefix unique to the test run with settings per service under it,
a key that signs test tokens, a credential key the services sign credentials with
(`CB_CREDENTIAL_KEY_FILE`), and the session fixture `stack` that removes everything
under the prefix when the run ends."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import aio_pika
import orjson
import pytest
import pytest_asyncio
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from cbkit import db
from cbkit.auth import Role, jwks, sign_token
from cbkit.settings import Settings, load_settings


class TestStack:
    """The run's prefix, its settings per service, a key that signs test tokens and the
    run's credential key (`credential_key`, in the file `credential_key_file`)."""

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
        self.credential_key = Ed25519PrivateKey.generate()
        self.credential_key_file = jwks_file.with_name("credential.pem")
        self.credential_key_file.write_bytes(
            self.credential_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        )
        self.used: set[tuple[str, str]] = set()

    def env(self, namespace: str = "") -> dict[str, str]:
        """The CB_* variables of a system under this run's prefix (and a namespace in it)."""
        prefix = f"{self.prefix}{namespace}"
        return {
            **{k: v for k, v in os.environ.items() if k in ("CB_POSTGRES_URL", "CB_AMQP_URL")},
            "CB_ENV": "test",
            "CB_QUEUE_PREFIX": prefix,
            "CB_EXCHANGE": f"{prefix}.events",
            "CB_JWT_PUBLIC_KEY_FILE": str(self.jwks_file),
            "CB_JWT_PRIVATE_KEY_FILE": str(self.private_key_file),
            "CB_CREDENTIAL_KEY_FILE": str(self.credential_key_file),
        }

    def settings(self, service: str, namespace: str = "", **overrides: str) -> Settings:
        self.used.add((namespace, service))
        return load_settings(service, {**self.env(namespace), **overrides}, default_port=0)

    def token(
        self, account_id: str, role: Role, expires_in: timedelta = timedelta(minutes=15)
    ) -> str:
        return sign_token(self.private_key, account_id, role, expires_in)

    async def cleanup(self) -> None:
        used = list(self.used)
        connection = await aio_pika.connect(self.settings("cleanup").amqp_url)
        async with connection:
            channel = await connection.channel()
            for namespace, service in used:
                settings = self.settings(service, namespace)
                for queue in (settings.queue, settings.dead_letter_queue):
                    await channel.queue_delete(queue)
                await channel.exchange_delete(settings.dead_letter_exchange)
                await db.drop_database(settings.postgres_url, settings.database)
            for namespace in {namespace for namespace, _ in used}:
                await channel.exchange_delete(self.settings("cleanup", namespace).exchange)


@pytest.fixture(scope="session")
def _jwks_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys") / "jwks.json"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def stack(_jwks_file: Path) -> AsyncIterator[TestStack]:
    test_stack = TestStack(_jwks_file)
    yield test_stack
    await test_stack.cleanup()
