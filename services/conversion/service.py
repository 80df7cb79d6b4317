"""Wires the conversion service: schema, migrations, events."""

from __future__ import annotations

from pathlib import Path

from cbkit.app import ServiceSpec
from services.conversion.schema import schema


def build() -> ServiceSpec:
    return ServiceSpec(
        name="conversion", schema=schema, migrations=Path(__file__).parent / "migrations"
    )
