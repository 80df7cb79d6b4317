"""Wires the certification service: schema, migrations, events, calendar, clock,
the overdue job and the metrics."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import holidays
from prometheus_client import Gauge

from cbkit.app import Runtime, ServiceSpec
from cbkit.clock import Clock
from cbkit.db import Connection
from cbkit.jobs import PeriodicJob
from cbkit.settings import Settings, SettingsError
from services.certification import events, service_layer
from services.certification.calendar import DEFAULT_DAYS, WorkingCalendar
from services.certification.schema import schema

log = logging.getLogger(__name__)

OPEN_CASES = Gauge("certification_open_cases", "Cases waiting on a reviewer")
OVERDUE_CASES = Gauge("certification_overdue_cases", "Open cases past their due date")
DECISIONS = Gauge("certification_decisions", "Decisions made, by whether on time", ["on_time"])
ON_TIME_SHARE = Gauge(
    "certification_decisions_on_time_ratio", "Share of decisions made by the due date"
)


@dataclass(frozen=True)
class Wiring:
    """What the job and the resolvers share; built from settings at start."""

    calendar: WorkingCalendar
    clock: Clock
    metrics_refresh_seconds: float

    async def announce_overdue(self, conn: Connection) -> None:
        today = self.clock.today()
        await service_layer.announce_overdue(conn, today, self.calendar, self.clock.now())

    async def refresh_metrics(self, conn: Connection) -> None:
        counts = await service_layer.counts(conn, self.clock.today(), self.calendar)
        OPEN_CASES.set(counts.open)
        OVERDUE_CASES.set(counts.overdue)
        DECISIONS.labels(on_time="true").set(counts.on_time)
        DECISIONS.labels(on_time="false").set(counts.decisions - counts.on_time)
        ON_TIME_SHARE.set(counts.on_time_share)


def calendar_from(settings: Settings) -> WorkingCalendar:
    """CB_CALENDAR_COUNTRY (a `holidays` country code) and CB_DAYS_TO_DECIDE."""
    country = settings.calendar_country
    days = settings.positive_int("CB_DAYS_TO_DECIDE", DEFAULT_DAYS)
    if country not in holidays.list_supported_countries():
        raise SettingsError(f"CB_CALENDAR_COUNTRY {country!r} is not a supported country code")
    return WorkingCalendar(country=country, days_to_decide=days)


@contextlib.asynccontextmanager
async def _dependencies(runtime: Runtime[Wiring]) -> AsyncIterator[Wiring]:
    settings = runtime.settings
    yield Wiring(
        calendar=calendar_from(settings),
        clock=Clock(settings.time_zone),
        metrics_refresh_seconds=settings.positive_seconds("CB_METRICS_REFRESH_SECONDS", 15.0),
    )


def _jobs(wiring: Wiring) -> list[PeriodicJob]:
    return [
        PeriodicJob("certification-overdue", 300.0, wiring.announce_overdue),
        # every replica keeps its own gauges current, whichever one runs the job
        PeriodicJob(
            "certification-metrics",
            wiring.metrics_refresh_seconds,
            wiring.refresh_metrics,
            every_replica=True,
        ),
    ]


def build() -> ServiceSpec[Wiring]:
    return ServiceSpec(
        name="certification",
        port=4003,
        schema=schema,
        migrations=Path(__file__).parent / "migrations",
        dependencies=_dependencies,
        handlers=lambda wiring: events.handlers(wiring.calendar),
        jobs=_jobs,
    )
