"""Wires the certification service: schema, migrations, events, calendar."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from cbkit.app import Runtime, ServiceSpec
from cbkit.consumer import Handler
from services.certification import events
from services.certification.calendar import DEFAULT_COUNTRY, DEFAULT_DAYS, WorkingCalendar
from services.certification.schema import schema


def _calendar(runtime: Runtime) -> WorkingCalendar:
    calendar: WorkingCalendar = runtime.services.setdefault(
        "calendar",
        WorkingCalendar(
            country=runtime.settings.extra.get("CB_CALENDAR_COUNTRY", DEFAULT_COUNTRY),
            days_to_decide=int(runtime.settings.extra.get("CB_DAYS_TO_DECIDE", DEFAULT_DAYS)),
        ),
    )
    return calendar


def _handlers(runtime: Runtime) -> Mapping[str, Handler]:
    return events.handlers(_calendar(runtime))


def build() -> ServiceSpec:
    return ServiceSpec(
        name="certification",
        schema=schema,
        migrations=Path(__file__).parent / "migrations",
        handlers=_handlers,
    )
