"""Wires the outcomes service: schema, migrations, events, evidence and export routes,
jobs."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path

from cbkit.app import Runtime, ServiceSpec
from cbkit.jobs import PeriodicJob
from services.outcomes import events
from services.outcomes.adapters import evidence_routes
from services.outcomes.schema import schema
from services.outcomes.service_layer import privacy
from services.outcomes.service_layer.dependencies import Dependencies
from services.outcomes.service_layer.uploads import sweep_abandoned_uploads


@contextlib.asynccontextmanager
async def _dependencies(runtime: Runtime[Dependencies]) -> AsyncIterator[Dependencies]:
    yield Dependencies.from_settings(runtime.settings)


def _jobs(deps: Dependencies) -> list[PeriodicJob]:
    sweep = partial(sweep_abandoned_uploads, clock=deps.clock, after=deps.abandoned_upload_after)
    return [PeriodicJob("sweep-abandoned-uploads", 600, sweep)]


def build() -> ServiceSpec[Dependencies]:
    return ServiceSpec(
        name="outcomes",
        port=4002,
        schema=schema,
        migrations=Path(__file__).parent / "migrations",
        dependencies=_dependencies,
        handlers=events.handlers,
        routes=evidence_routes.routes,
        export=privacy.collect,
        jobs=_jobs,
    )
