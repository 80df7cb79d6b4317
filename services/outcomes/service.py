"""Wires the outcomes service: schema, migrations, events."""

from __future__ import annotations

from pathlib import Path

from cbkit.app import ServiceSpec
from services.outcomes.schema import schema


def build() -> ServiceSpec:
    return ServiceSpec(
        name="outcomes", schema=schema, migrations=Path(__file__).parent / "migrations"
    )
