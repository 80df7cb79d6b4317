"""Services under test: `run_service` starts one in-process over ASGI, `serve_tcp`
serves a started app on a free port, and `RunningSystem` (fixture `running_system`)
starts every service and the gateway as real processes."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import socket
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
import uvicorn

from cbkit.app import ServiceSpec, create_app
from cbkit.clock import Clock
from cbkit.devrun import LAST, TRUSTED_DOCUMENTS
from cbkit.testing.clients import eventually
from cbkit.testing.stack import TestStack
from services import SERVICES

RunService = Callable[..., contextlib.AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture(scope="session")
def run_service(stack: TestStack) -> RunService:
    """Start a service in-process (lifespan included) and talk to it over ASGI."""

    @contextlib.asynccontextmanager
    async def running(
        spec: ServiceSpec[Any], namespace: str = "", **overrides: str
    ) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(spec, stack.settings(spec.name, namespace, **overrides))
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


def service_client(build: Callable[[], ServiceSpec[Any]], name: str, namespace: str = "") -> Any:
    """A module-scoped fixture called `name`: the service `build()` makes, in-process
    (with a database, queue and exchange of its own under `namespace`, when given),
    and a client for it (`client.runtime` is its Runtime). Assign it in a conftest:
    `certification = service_client(build, "certification")`."""

    @pytest_asyncio.fixture(name=name, scope="module", loop_scope="session")
    async def client(run_service: RunService) -> AsyncIterator[httpx.AsyncClient]:
        async with run_service(build(), namespace) as running:
            yield running

    return client


def service_clock(service: str) -> Any:
    """A fixture called `clock`: the clock of the service whose client fixture is
    called `service`; a test may freeze it (`clock.frozen_at = ...`), and it thaws
    after the test."""

    @pytest.fixture(name="clock")
    def clock(request: pytest.FixtureRequest) -> Iterator[Clock]:
        client = request.getfixturevalue(service)
        frozen: Clock = client.runtime.deps.clock
        yield frozen
        frozen.frozen_at = None

    return clock


class RunningSystem:
    """Every service and the gateway as real processes, as `make run` starts them."""

    SERVICES = SERVICES

    def __init__(self, stack: TestStack, namespace: str = "sys") -> None:
        self.ports = {name: free_port() for name in (*self.SERVICES, "gateway")}
        self.env = {
            **os.environ,
            **stack.env(namespace),
            "CB_JWKS_URL": f"{self.url('accounts')}/.well-known/jwks.json",
            "CB_ADMIN_EMAIL": "admin@test.creditbank.local",
            "CB_ADMIN_PASSWORD": "admin-test-password",
            "CB_LOG_LEVEL": "WARNING",
            # the credential issuer is did:web of the gateway, which serves its DID document
            "CB_PUBLIC_URL": self.url("gateway"),
            # the portal's operations, as `make run` gives them: only they run for the
            # portal's browser clients (the e2e tests' httpx and curl are API clients)
            "CB_TRUSTED_DOCUMENTS": str(TRUSTED_DOCUMENTS),
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
        """Start the processes `names` (all: None) and wait until each is healthy:
        accounts (and the gateway) once the others are, as `make run` does, since
        accounts announces its first admin as it starts and every queue that hears of
        accounts must exist by then."""
        names = names or (*self.SERVICES, "gateway")
        for wave in ([n for n in names if n not in LAST], [n for n in names if n in LAST]):
            for name in wave:
                module = "gateway" if name == "gateway" else f"services.{name}"
                self.processes[name] = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", module, env=self.env
                )
            async with httpx.AsyncClient() as client:
                for name in wave:
                    url = self.url(name)
                    await eventually(functools.partial(healthy, client, url), within=60)

    async def stop(self, names: tuple[str, ...] | None = None) -> None:
        """Stop the processes `names` (all: None); `start(names)` starts them again, on
        the same ports, with `env` as it is then (a new key, say)."""
        stopping = [self.processes[n] for n in names or self.processes]
        for process in stopping:
            if process.returncode is None:
                process.terminate()
        for process in stopping:
            await process.wait()


async def healthy(client: httpx.AsyncClient, url: str) -> bool:
    try:
        return (await client.get(f"{url}/healthz")).status_code == 200
    except httpx.TransportError:
        return False


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
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


@contextlib.asynccontextmanager
async def serve_tcp(app: Any) -> AsyncIterator[str]:
    """Serve an app whose runtime is already started on a free port: its base URL."""
    port = free_port()
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
