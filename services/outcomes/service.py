"""Wires the outcomes service: schema, migrations, events, evidence routes, jobs."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from cbkit.app import Runtime, ServiceSpec
from cbkit.clock import Clock
from cbkit.jobs import PeriodicJob
from services.outcomes import events
from services.outcomes.adapters import evidence_routes
from services.outcomes.schema import schema
from services.outcomes.service_layer.dependencies import Dependencies
from services.outcomes.service_layer.evidence import sweep_abandoned_uploads


@contextlib.asynccontextmanager
async def _dependencies(runtime: Runtime[Dependencies]) -> AsyncIterator[Dependencies]:
    yield Dependencies(clock=Clock(runtime.settings.time_zone))


def _jobs(deps: Dependencies) -> list[PeriodicJob]:
    return [PeriodicJob("sweep-abandoned-uploads", 600, sweep_abandoned_uploads)]


def build() -> ServiceSpec[Dependencies]:
    return ServiceSpec(
        name="outcomes",
        port=4002,
        schema=schema,
        migrations=Path(__file__).parent / "migrations",
        dependencies=_dependencies,
        handlers=events.handlers,
        routes=evidence_routes.routes,
        jobs=_jobs,
    )
