"""Wires the certification service: schema, migrations, events, calendar, clock,
the overdue job and the metrics."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import holidays
from prometheus_client import Gauge

from cbkit.app import Runtime, ServiceSpec
from cbkit.consumer import Handler
from cbkit.db import Connection
from cbkit.jobs import PeriodicJob
from cbkit.settings import SettingsError
from services.certification import events, service_layer
from services.certification.calendar import DEFAULT_COUNTRY, DEFAULT_DAYS, WorkingCalendar
from services.certification.clock import Clock
from services.certification.schema import schema

log = logging.getLogger(__name__)

OPEN_CASES = Gauge("certification_open_cases", "Cases waiting on a reviewer")
OVERDUE_CASES = Gauge("certification_overdue_cases", "Open cases past their due date")
DECISIONS = Gauge("certification_decisions", "Decisions made, by whether on time", ["on_time"])
ON_TIME_SHARE = Gauge(
    "certification_decisions_on_time_ratio", "Share of decisions made by the due date"
)


@dataclass
class Wiring:
    """What the job and the resolvers share; filled from settings at start."""

    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    clock: Clock = field(default_factory=Clock)

    async def announce_overdue(self, conn: Connection) -> None:
        today = self.clock.today()
        await service_layer.announce_overdue(conn, today, self.calendar, self.clock.now())

    async def refresh_metrics(self, pool: asyncpg.Pool) -> None:
        async with pool.acquire() as conn:
            counts = await service_layer.counts(conn, self.clock.today(), self.calendar)
        OPEN_CASES.set(counts.open)
        OVERDUE_CASES.set(counts.overdue)
        DECISIONS.labels(on_time="true").set(counts.on_time)
        DECISIONS.labels(on_time="false").set(counts.decisions - counts.on_time)
        ON_TIME_SHARE.set(counts.on_time_share)


async def _refresh_forever(wiring: Wiring, pool: asyncpg.Pool, seconds: float) -> None:
    """Every replica keeps its own gauges current, whichever one runs the job."""
    while True:
        try:
            await wiring.refresh_metrics(pool)
        except Exception:
            log.exception("refreshing certification metrics failed")
        await asyncio.sleep(seconds)


def calendar_from(extra: Mapping[str, str]) -> WorkingCalendar:
    """CB_CALENDAR_COUNTRY (a `holidays` country code) and CB_DAYS_TO_DECIDE."""
    country = extra.get("CB_CALENDAR_COUNTRY", DEFAULT_COUNTRY)
    days = extra.get("CB_DAYS_TO_DECIDE", str(DEFAULT_DAYS))
    if not days.isdigit() or int(days) < 1:
        raise SettingsError(f"CB_DAYS_TO_DECIDE must be a positive number of days, not {days!r}")
    if country not in holidays.list_supported_countries():
        raise SettingsError(f"CB_CALENDAR_COUNTRY {country!r} is not a supported country code")
    return WorkingCalendar(country=country, days_to_decide=int(days))


def build() -> ServiceSpec:
    wiring = Wiring()

    async def on_start(runtime: Runtime) -> None:
        extra = runtime.settings.extra
        wiring.calendar = calendar_from(extra)
        runtime.services.update(calendar=wiring.calendar, clock=wiring.clock, wiring=wiring)
        seconds = float(extra.get("CB_METRICS_REFRESH_SECONDS", "15"))
        task = asyncio.create_task(_refresh_forever(wiring, runtime.pool, seconds))
        runtime.tasks.append(task)

    def handlers(runtime: Runtime) -> Mapping[str, Handler]:
        return events.handlers(wiring.calendar)

    return ServiceSpec(
        name="certification",
        schema=schema,
        migrations=Path(__file__).parent / "migrations",
        handlers=handlers,
        jobs=[PeriodicJob("certification-overdue", 300.0, wiring.announce_overdue)],
        on_start=on_start,
    )
