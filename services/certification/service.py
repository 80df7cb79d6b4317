"""Wires the certification service: schema, migrations, the outcome events it
reads, the working-day calendar and clock, the overdue job, the metrics and the
privacy export route."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from cbkit.app import Runtime, ServiceSpec
from cbkit.calendar import WorkingCalendar
from cbkit.clock import Clock
from cbkit.db import Connection
from cbkit.jobs import PeriodicJob
from services.certification import events
from services.certification.schema import schema
from services.certification.service_layer import deadlines, privacy
from services.certification.service_layer.dependencies import Dependencies

OVERDUE_CHECK_SECONDS = 300.0


@contextlib.asynccontextmanager
async def _dependencies(runtime: Runtime[Dependencies]) -> AsyncIterator[Dependencies]:
    settings = runtime.settings
    yield Dependencies(
        calendar=WorkingCalendar.from_settings(settings),
        clock=Clock(settings.time_zone),
        metrics_refresh_seconds=settings.positive_seconds("CB_METRICS_REFRESH_SECONDS", 15.0),
    )


def _jobs(deps: Dependencies) -> list[PeriodicJob]:
    async def announce_overdue(conn: Connection) -> None:
        await deadlines.announce_overdue(conn, deps)

    async def refresh_metrics(conn: Connection) -> None:
        await deadlines.refresh_metrics(conn, deps)

    return [
        PeriodicJob("certification-overdue", OVERDUE_CHECK_SECONDS, announce_overdue),
        # every replica keeps its own gauges current, whichever one runs the job
        PeriodicJob(
            "certification-metrics",
            deps.metrics_refresh_seconds,
            refresh_metrics,
            every_replica=True,
        ),
    ]


def build() -> ServiceSpec[Dependencies]:
    return ServiceSpec(
        name="certification",
        port=4003,
        schema=schema,
        migrations=Path(__file__).parent / "migrations",
        dependencies=_dependencies,
        handlers=events.handlers,
        jobs=_jobs,
        export=privacy.export,
    )
