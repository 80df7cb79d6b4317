"""Wires the conversion service: schema, migrations, events, the credential keys and
routes, the demo catalog."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from cbkit.app import Runtime, Seed, ServiceSpec
from cbkit.clock import Clock
from cbkit.vc.issuer import load_issuer_keys
from services.conversion import events
from services.conversion.adapters import credential_routes, seed
from services.conversion.schema import schema
from services.conversion.service_layer import privacy
from services.conversion.service_layer.dependencies import Dependencies, issuer_profile


@contextlib.asynccontextmanager
async def _dependencies(runtime: Runtime[Dependencies]) -> AsyncIterator[Dependencies]:
    # the credential keys, read once: a missing or bad one stops the start, by name
    keys = load_issuer_keys(runtime.settings.extra)
    yield Dependencies(
        clock=Clock(runtime.settings.time_zone),
        credential_keys=keys,
        issuer=issuer_profile(keys),
    )


def build() -> ServiceSpec[Dependencies]:
    return ServiceSpec(
        name="conversion",
        port=4004,
        schema=schema,
        migrations=Path(__file__).parent / "migrations",
        dependencies=_dependencies,
        handlers=events.handlers,
        routes=credential_routes.routes,  # GET /credentials/{id}, /credentials/status/{n}
        export=privacy.export,  # GET /privacy/export: conversions, refusals, certificates
        seed=Seed(load=seed.seed, example="{ majorsConnection { nodes { code name nameZh } } }"),
    )
