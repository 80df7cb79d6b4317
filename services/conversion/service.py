"""Wires the conversion service: schema, migrations, events."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from cbkit.app import Runtime, ServiceSpec
from cbkit.consumer import Handler
from services.conversion import events
from services.conversion.schema import schema


def _handlers(runtime: Runtime) -> Mapping[str, Handler]:
    return events.handlers()


def build() -> ServiceSpec:
    return ServiceSpec(
        name="conversion",
        schema=schema,
        migrations=Path(__file__).parent / "migrations",
        handlers=_handlers,
    )
