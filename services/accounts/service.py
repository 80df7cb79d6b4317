"""Wires the accounts service: schema, migrations, events, jobs, routes, signing key,
and the first admin."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from cbkit.app import Runtime, ServiceSpec
from cbkit.auth import KeySet
from cbkit.consumer import Handler
from cbkit.db import Connection
from cbkit.jobs import PeriodicJob
from cbkit.settings import Settings, SettingsError
from services.accounts import events
from services.accounts.domain import ledger
from services.accounts.repository import accounts as repository
from services.accounts.schema import schema
from services.accounts.service_layer import accounts as service_layer
from services.accounts.service_layer import feed as feed_service
from services.accounts.service_layer import ledger as ledger_service
from services.accounts.tokens import TokenIssuer

log = logging.getLogger(__name__)

DEV_ADMIN_EMAIL = "admin@creditbank.local"
DEV_ADMIN_PASSWORD = "admin-password-change-me"
EXPIRY_INTERVAL_SECONDS = 60.0


def _tokens(runtime: Runtime) -> TokenIssuer:
    issuer: TokenIssuer = runtime.services.setdefault(
        "tokens", TokenIssuer.from_settings(runtime.settings)
    )
    return issuer


def _keys(runtime: Runtime) -> KeySet:
    return _tokens(runtime).key_set()


def _routes(runtime: Runtime) -> list[BaseRoute]:
    async def jwks(request: Request) -> Response:
        return JSONResponse(_tokens(runtime).jwks(), headers={"Cache-Control": "max-age=300"})

    return [Route("/.well-known/jwks.json", jwks)]


def _handlers(runtime: Runtime) -> Mapping[str, Handler]:
    return feed_service.with_feed(events.handlers())


async def expire_credits(conn: Connection) -> None:
    now = datetime.now(UTC)
    expired = await ledger_service.expire_due(conn, ledger.local_day(now), now)
    if expired:
        log.info("expired the credits of %d conversions", expired)


EXPIRY = PeriodicJob("credits-expiry", EXPIRY_INTERVAL_SECONDS, expire_credits)


async def _start(runtime: Runtime) -> None:
    listener = feed_service.FeedListener(runtime.settings.database_url, runtime.pool)
    await listener.start()
    runtime.services["feed"] = listener
    await _first_admin(runtime)


async def _stop(runtime: Runtime) -> None:
    await runtime.services["feed"].close()


async def _first_admin(runtime: Runtime) -> None:
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
    email = settings.extra.get("CB_ADMIN_EMAIL") or (
        DEV_ADMIN_EMAIL if settings.is_development else None
    )
    if not email:
        raise SettingsError("CB_ADMIN_EMAIL is required")
    return email, settings.secret("CB_ADMIN_PASSWORD", DEV_ADMIN_PASSWORD)


def build() -> ServiceSpec:
    return ServiceSpec(
        name="accounts",
        schema=schema,
        migrations=Path(__file__).parent / "migrations",
        handlers=_handlers,
        jobs=[EXPIRY],
        routes=_routes,
        on_start=_start,
        on_stop=_stop,
        keys=_keys,
    )
