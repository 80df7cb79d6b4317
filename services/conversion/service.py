"""Wires the conversion service: schema, migrations, events, the demo catalog."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from cbkit.app import Runtime, Seed, ServiceSpec
from cbkit.clock import Clock
from services.conversion import events
from services.conversion.adapters import seed
from services.conversion.schema import schema
from services.conversion.service_layer import privacy
from services.conversion.service_layer.dependencies import Dependencies


@contextlib.asynccontextmanager
async def _dependencies(runtime: Runtime[Dependencies]) -> AsyncIterator[Dependencies]:
    yield Dependencies(clock=Clock(runtime.settings.time_zone))


def build() -> ServiceSpec[Dependencies]:
    return ServiceSpec(
        name="conversion",
        port=4004,
        schema=schema,
        migrations=Path(__file__).parent / "migrations",
        dependencies=_dependencies,
        handlers=events.handlers,
        export=privacy.export,  # GET /privacy/export: conversions, refusals, certificates
        seed=Seed(load=seed.seed, example="{ majorsConnection { nodes { code name nameZh } } }"),
    )
