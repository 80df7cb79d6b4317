"""Wires the accounts service: schema, migrations, events, routes, signing key."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from cbkit.app import Runtime, ServiceSpec
from cbkit.auth import KeySet
from services.accounts.schema import schema
from services.accounts.tokens import TokenIssuer


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


def build() -> ServiceSpec:
    return ServiceSpec(
        name="accounts",
        schema=schema,
        migrations=Path(__file__).parent / "migrations",
        routes=_routes,
        keys=_keys,
    )
