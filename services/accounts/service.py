"""Wires the accounts service: schema, migrations, events, jobs, routes, signing key,
and the first admin."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from cbkit.app import Runtime, ServiceSpec
from cbkit.clock import Clock
from cbkit.db import Connection
from cbkit.jobs import PeriodicJob
from cbkit.settings import Settings, SettingsError
from services.accounts import events
from services.accounts.adapters.tokens import TokenIssuer
from services.accounts.domain import sign_in
from services.accounts.domain.sign_in import Network
from services.accounts.repository import accounts as repository
from services.accounts.schema import schema
from services.accounts.service_layer import accounts as service_layer
from services.accounts.service_layer import feed as feed_service
from services.accounts.service_layer import ledger as ledger_service
from services.accounts.service_layer import privacy
from services.accounts.service_layer import sessions as sessions_service
from services.accounts.service_layer.dependencies import Dependencies

log = logging.getLogger(__name__)

DEV_ADMIN_EMAIL = "admin@creditbank.local"
DEV_ADMIN_PASSWORD = "admin-password-change-me"
EXPIRY_INTERVAL_SECONDS = 60.0
CLEANUP_INTERVAL_SECONDS = 3600.0


@contextlib.asynccontextmanager
async def _dependencies(runtime: Runtime[Dependencies]) -> AsyncIterator[Dependencies]:
    settings = runtime.settings
    feed = feed_service.FeedListener(settings.database_url, runtime.pool)
    await feed.start()
    try:
        await _first_admin(runtime)
        tokens = TokenIssuer.from_settings(settings)
        clock = Clock(settings.time_zone)
        yield Dependencies(
            tokens,
            feed,
            clock,
            trusted_proxies(settings),
            redemption_reversal_days=settings.positive_int("CB_REDEMPTION_REVERSAL_DAYS", 30),
        )
    finally:
        await feed.close()


def _routes(runtime: Runtime[Dependencies]) -> list[BaseRoute]:
    async def jwks(request: Request) -> Response:
        return JSONResponse(runtime.deps.tokens.jwks(), headers={"Cache-Control": "max-age=300"})

    return [Route("/.well-known/jwks.json", jwks)]


def _jobs(deps: Dependencies) -> list[PeriodicJob]:
    async def expire_credits(conn: Connection) -> None:
        now = deps.clock.now()
        expired = await ledger_service.expire_due(conn, deps.clock.day_of(now), now)
        if expired:
            log.info("expired the credits of %d conversions", expired)

    async def forget_sign_ins(conn: Connection) -> None:
        await sessions_service.forget_the_past(conn, deps.clock.now())

    return [
        PeriodicJob("credits-expiry", EXPIRY_INTERVAL_SECONDS, expire_credits),
        PeriodicJob("sign-in-cleanup", CLEANUP_INTERVAL_SECONDS, forget_sign_ins),
    ]


async def _first_admin(runtime: Runtime[Dependencies]) -> None:
    """Create the first admin from CB_ADMIN_EMAIL and CB_ADMIN_PASSWORD when none exists;
    development falls back to well-known defaults, production refuses them."""
    async with runtime.pool.acquire() as conn:
        if await repository.has_admin(conn):
            return
        email, password = admin_credentials(runtime.settings)
        admin = await service_layer.ensure_first_admin(conn, email, password)
    if admin:
        log.info("created the first admin account %s", admin.email)


def admin_credentials(settings: Settings) -> tuple[str, str]:
    email = settings.text("CB_ADMIN_EMAIL", DEV_ADMIN_EMAIL if settings.is_development else None)
    if not email:
        raise SettingsError("CB_ADMIN_EMAIL is required")
    return email, settings.secret("CB_ADMIN_PASSWORD", DEV_ADMIN_PASSWORD)


def trusted_proxies(settings: Settings) -> tuple[Network, ...]:
    """CB_TRUSTED_PROXIES: the addresses or networks (comma-separated) of the gateway and
    other proxies whose X-Forwarded-For is believed; by default loopback and private ones."""
    text = settings.text("CB_TRUSTED_PROXIES", sign_in.PRIVATE_NETWORKS) or ""
    try:
        return sign_in.parse_networks(text)
    except ValueError as exc:
        raise SettingsError(f"CB_TRUSTED_PROXIES: {exc}") from None


def build() -> ServiceSpec[Dependencies]:
    return ServiceSpec(
        name="accounts",
        port=4001,
        schema=schema,
        migrations=Path(__file__).parent / "migrations",
        dependencies=_dependencies,
        handlers=events.handlers,
        jobs=_jobs,
        routes=_routes,
        export=privacy.collect,
        keys=lambda deps: deps.tokens.key_set(),
    )
