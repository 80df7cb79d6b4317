"""The app factory: one Starlette app per service with its subgraph at /graphql,
/healthz, /readyz and /metrics (and the learner's /privacy/export where the spec
names its collector as `export`); its lifespan creates and migrates the database
and runs the outbox relay, the consumer and the periodic jobs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import asyncpg
import strawberry
from aio_pika.abc import AbstractRobustConnection
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from cbkit import broker, db
from cbkit.asgi import RequestIdMiddleware, SubgraphApp
from cbkit.auth import KeySet
from cbkit.consumer import Consumer, Handler
from cbkit.db import Connection
from cbkit.jobs import PeriodicJob, run_forever
from cbkit.migrations import migrate
from cbkit.outbox import OutboxRelay
from cbkit.privacy import Records, export_route
from cbkit.settings import Settings

PLUMBING_MIGRATIONS = Path(__file__).parent / "migrations"
log = logging.getLogger(__name__)
STOP_SECONDS = 10.0
"""How long a stopping service waits, in all, for its consumer, relay and jobs to end
(after uvicorn's 15 s for the requests: within Kubernetes' 30 s grace period)."""


D = TypeVar("D")


def _nothing(_: object) -> tuple[()]:
    return ()


@dataclass(frozen=True)
class Seed:
    """A service's development data, loaded by `make run` (`python -m services.<name> seed`)."""

    load: Callable[[Connection], Awaitable[str]]
    """Loads the data idempotently and says what it loaded."""
    example: str
    """An operation to try on it, printed by `make run`."""


@dataclass(frozen=True)
class ServiceSpec(Generic[D]):
    """Everything that makes one service, registered the same way by every service.

    `dependencies` builds the service's typed dependencies once the pool and broker
    exist (and tears them down on stop); resolvers reach them as `info.context.deps`,
    handlers, jobs and routes are made from them."""

    name: str
    port: int
    schema: strawberry.Schema
    migrations: Path
    dependencies: Callable[[Runtime[D]], contextlib.AbstractAsyncContextManager[D]]
    handlers: Callable[[D], Mapping[str, Handler]] = _nothing  # type: ignore[assignment]
    jobs: Callable[[D], Sequence[PeriodicJob]] = _nothing
    routes: Callable[[Runtime[D]], Sequence[BaseRoute]] = _nothing
    keys: Callable[[D], KeySet] | None = None
    """Where tokens are verified; by default accounts' published keys."""
    seed: Seed | None = None
    export: Callable[[Connection, D, str], Awaitable[Records]] | None = None
    """Collects a learner's records for `GET /privacy/export` (`cbkit.privacy`): every
    service names its collector here and the app mounts the route."""


@dataclass
class Runtime(Generic[D]):
    """What a running service holds beyond its code: settings, pool, broker, keys and
    its typed dependencies."""

    spec: ServiceSpec[D]
    settings: Settings
    pool: asyncpg.Pool = field(init=False)
    amqp: AbstractRobustConnection = field(init=False)
    keys: KeySet = field(init=False)
    deps: D = field(init=False)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    consumer: Consumer | None = None
    relay: OutboxRelay | None = None
    draining: bool = False
    """Set by SIGTERM: readiness answers 503 and no delivery is taken any more."""
    _relaying: asyncio.Task[None] | None = None
    _consumer_stopped: asyncio.Task[None] | None = None
    _exit: contextlib.AsyncExitStack = field(default_factory=contextlib.AsyncExitStack)

    async def start(self) -> None:
        """Open what the service holds; when a step fails (a refused setting, a broker
        out of reach) what was opened is closed again before the error is raised."""
        try:
            await self._open()
        except BaseException:
            await self.stop()
            raise

    async def _open(self) -> None:
        settings = self.settings
        self.pool = await open_database(self.spec, settings)
        self._exit.push_async_callback(db.close_pool, self.pool)
        self.amqp = await broker.connect(settings.amqp_url)
        self._exit.push_async_callback(broker.close, self.amqp)
        self.deps = await self._exit.enter_async_context(self.spec.dependencies(self))
        self.keys = self.spec.keys(self.deps) if self.spec.keys else key_set(settings)
        jobs = [job.configured(settings) for job in self.spec.jobs(self.deps)]
        handlers = self.spec.handlers(self.deps)
        self.relay = OutboxRelay(
            self.pool,
            self.amqp,
            settings.exchange,
            settings.database_url,
            # the safety poll, for a NOTIFY lost while LISTEN was being re-established
            poll_seconds=settings.positive_seconds("CB_OUTBOX_POLL_SECONDS", 5.0),
        )
        self._relaying = asyncio.create_task(self.relay.run(), name="outbox-relay")
        if handlers:
            self.consumer = Consumer.of_service(self.pool, self.amqp, settings, handlers)
            await self.consumer.start()
        for job in jobs:
            self.tasks.append(asyncio.create_task(run_forever(self.pool, job), name=job.name))

    def drain(self) -> None:
        """The first step of a graceful stop (SIGTERM), before the HTTP server finishes
        its requests: readiness goes 503 and the consumer takes no more deliveries."""
        if self.draining:
            return
        self.draining = True
        if self.consumer is not None:
            stopping = self.consumer.stop(STOP_SECONDS)
            self._consumer_stopped = asyncio.get_running_loop().create_task(stopping)

    async def stop(self) -> None:
        """Stop gracefully, each step bounded: no more deliveries and those being handled
        acked, then the relay sends what is in the outbox, then the jobs end (cancelled),
        then the broker, the pool and the dependencies close."""
        if self._consumer_stopped is None and self.consumer is not None:
            self.draining = True
            self._consumer_stopped = asyncio.create_task(self.consumer.stop(STOP_SECONDS))
        deadline = asyncio.get_running_loop().time() + STOP_SECONDS
        if self._consumer_stopped is not None:
            await asyncio.wait([self._consumer_stopped], timeout=STOP_SECONDS)
        if self.relay is not None and self._relaying is not None:
            self.relay.stop()
            await _ended([self._relaying], deadline, cancel=False)
        await _ended(self.tasks, deadline, cancel=True)
        self.tasks.clear()
        await self._exit.aclose()

    async def ready(self) -> dict[str, bool]:
        try:
            async with self.pool.acquire(timeout=2) as conn:
                database = await conn.fetchval("SELECT true") is True
        except Exception:
            database = False
        return {"database": database, "broker": not self.amqp.is_closed}


async def _ended(tasks: list[asyncio.Task[None]], deadline: float, *, cancel: bool) -> None:
    """Until `tasks` end, cancelled first when `cancel`; whatever is still running at the
    `deadline` (the loop's time; a second at least) is cancelled and named in the log."""
    if not tasks:
        return
    for task in tasks if cancel else ():
        task.cancel()
    left = max(1.0, deadline - asyncio.get_running_loop().time())
    _, pending = await asyncio.wait(tasks, timeout=left)
    for task in pending:
        log.warning("%s did not stop within %.0f s", task.get_name(), STOP_SECONDS)
        task.cancel()


async def open_database(spec: ServiceSpec[Any], settings: Settings) -> asyncpg.Pool:
    """The service's database: created when missing, migrated, reached through a pool."""
    await db.ensure_database(settings.postgres_url, settings.database)
    pool = await db.create_pool(settings.database_url)
    async with pool.acquire() as conn:
        await migrate(conn, [("cbkit", PLUMBING_MIGRATIONS), (spec.name, spec.migrations)])
    return pool


def key_set(settings: Settings) -> KeySet:
    return KeySet.configured(settings.jwt_public_key_file, settings.jwks_url)


def create_app(spec: ServiceSpec[Any], settings: Settings) -> Starlette:
    runtime = Runtime(spec, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    graphql = SubgraphApp(runtime)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "alive"})

    async def readyz(request: Request) -> Response:
        if runtime.draining:  # stopping (SIGTERM): send nothing new here
            return JSONResponse({"stopping": True}, status_code=503)
        checks = await runtime.ready()
        return JSONResponse(checks, status_code=200 if all(checks.values()) else 503)

    async def metrics(request: Request) -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    routes: list[BaseRoute] = [
        Route("/graphql", graphql),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics),
    ]
    if spec.export is not None:
        routes.append(export_route(runtime, spec.export))
    app = Starlette(
        routes=[*routes, *spec.routes(runtime)],
        lifespan=lifespan,
        middleware=[Middleware(RequestIdMiddleware, service=spec.name)],
    )
    app.state.runtime = runtime
    return app
