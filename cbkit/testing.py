"""Pytest plugin (`-p cbkit.testing`): real PostgreSQL and RabbitMQ under a prefix
unique to the test run, so tests never touch a running system and the reverse;
everything under the prefix is removed when the run ends."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import jwt
import orjson
import pytest
import pytest_asyncio
import uvicorn
import websockets
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from websockets.asyncio.client import ClientConnection
from websockets.typing import Subprotocol

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
        }

    def settings(self, service: str, namespace: str = "", **overrides: str) -> Settings:
        self.used.add((namespace, service))
        return load_settings(service, {**self.env(namespace), **overrides})

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
        used = list(self.used)
        connection = await aio_pika.connect(self.settings("cleanup").amqp_url)
        async with connection:
            channel = await connection.channel()
            for namespace, service in used:
                settings = self.settings(service, namespace)
                for queue in (settings.queue, settings.dead_letter_queue):
                    await channel.queue_delete(queue)
                await db.drop_database(settings.postgres_url, settings.database)
            for namespace in {namespace for namespace, _ in used}:
                base = self.settings("cleanup", namespace)
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
                client.app = app  # type: ignore[attr-defined]
                yield client
        finally:
            await runtime.stop()

    return running


async def gql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
    path: str = "/graphql",
) -> dict[str, Any]:
    """POST a GraphQL operation as a client would; the decoded answer."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        path, json={"query": query, "variables": variables or {}}, headers=headers
    )
    body: dict[str, Any] = orjson.loads(response.content)
    return body


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
    """Wait until `check()` is true: events cross the broker asynchronously."""
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {within}s")
        await asyncio.sleep(0.05)


class RunningSystem:
    """Every service and the gateway as real processes, as `make run` starts them."""

    SERVICES = ("accounts", "outcomes", "certification", "conversion")

    def __init__(self, stack: TestStack, namespace: str = "sys") -> None:
        self.ports = {name: _free_port() for name in (*self.SERVICES, "gateway")}
        self.env = {
            **os.environ,
            **stack.env(namespace),
            "CB_JWKS_URL": f"{self.url('accounts')}/.well-known/jwks.json",
            "CB_ADMIN_EMAIL": "admin@test.creditbank.local",
            "CB_ADMIN_PASSWORD": "admin-test-password",
            "CB_LOG_LEVEL": "WARNING",
            **{f"CB_{name.upper()}_PORT": str(port) for name, port in self.ports.items()},
            **{f"CB_SUBGRAPH_URL_{n.upper()}": f"{self.url(n)}/graphql" for n in self.SERVICES},
        }
        for name in self.SERVICES:
            stack.settings(name, namespace)  # so the run's cleanup removes it
        self.processes: dict[str, asyncio.subprocess.Process] = {}

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    @property
    def gateway(self) -> str:
        return f"{self.url('gateway')}/graphql"

    async def start(self, names: tuple[str, ...] | None = None) -> None:
        for name in names or (*self.SERVICES, "gateway"):
            module = "gateway" if name == "gateway" else f"services.{name}"
            self.processes[name] = await asyncio.create_subprocess_exec(
                sys.executable, "-m", module, env=self.env
            )
        async with httpx.AsyncClient() as client:
            for name in self.processes:
                url = self.url(name)
                await eventually(functools.partial(_healthy, client, url), within=60)

    async def stop(self) -> None:
        for process in self.processes.values():
            if process.returncode is None:
                process.terminate()
        for process in self.processes.values():
            await process.wait()


async def _healthy(client: httpx.AsyncClient, url: str) -> bool:
    try:
        return (await client.get(f"{url}/healthz")).status_code == 200
    except httpx.TransportError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def running_system(stack: TestStack) -> AsyncIterator[RunningSystem]:
    """The whole system, started once per test run by the tests that ask for it."""
    system = RunningSystem(stack)
    try:
        await system.start()
        yield system
    finally:
        await system.stop()


class Subscription:
    """A graphql-transport-ws client, as the `graphql-ws` JS client speaks it."""

    def __init__(self, url: str, token: str | None = None) -> None:
        self._url = url.replace("http://", "ws://", 1)
        self._token = token
        self._socket: ClientConnection | None = None

    async def __aenter__(self) -> Subscription:
        self._socket = await websockets.connect(
            self._url, subprotocols=[Subprotocol("graphql-transport-ws")]
        )
        payload = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        await self._send({"type": "connection_init", "payload": payload})
        ack = await self._receive()
        if ack.get("type") != "connection_ack":
            raise AssertionError(f"connection refused: {ack}")
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._socket is not None
        await self._socket.close()

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> None:
        message = {"query": query, "variables": variables or {}}
        await self._send({"id": "1", "type": "subscribe", "payload": message})

    async def next(self, within: float = 10.0) -> dict[str, Any]:
        """The next message for the subscription: its payload, or the error it ended with."""
        async with asyncio.timeout(within):
            while True:
                message = await self._receive()
                if message["type"] == "ping":
                    await self._send({"type": "pong"})
                    continue
                if message["type"] == "next":
                    payload: dict[str, Any] = message["payload"]
                    return payload
                return message

    async def nothing_within(self, seconds: float) -> bool:
        try:
            await self.next(within=seconds)
        except TimeoutError:
            return True
        return False

    async def _send(self, message: dict[str, Any]) -> None:
        assert self._socket is not None
        await self._socket.send(orjson.dumps(message).decode())

    async def _receive(self) -> dict[str, Any]:
        assert self._socket is not None
        message: dict[str, Any] = orjson.loads(await self._socket.recv())
        return message


@contextlib.asynccontextmanager
async def serve_tcp(app: Any) -> AsyncIterator[str]:
    """Serve an app whose runtime is already started on a free port: its base URL."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    try:
        await eventually(lambda: _started(server))
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def _started(server: uvicorn.Server) -> bool:
    return bool(server.started)
