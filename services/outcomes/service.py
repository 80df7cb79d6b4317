"""Wires the outcomes service: schema, migrations, events, evidence routes, jobs."""

from __future__ import annotations

from pathlib import Path

from cbkit.app import ServiceSpec
from cbkit.db import Connection
from cbkit.jobs import PeriodicJob
from services.outcomes import events, evidence_http
from services.outcomes.repository import evidence
from services.outcomes.schema import schema

ABANDONED_UPLOAD_HOURS = 6


async def _sweep_abandoned_uploads(conn: Connection) -> None:
    await evidence.sweep_abandoned_uploads(conn, ABANDONED_UPLOAD_HOURS)


def build() -> ServiceSpec:
    return ServiceSpec(
        name="outcomes",
        schema=schema,
        migrations=Path(__file__).parent / "migrations",
        handlers=lambda runtime: events.handlers(),
        routes=evidence_http.routes,
        jobs=[PeriodicJob("sweep-abandoned-uploads", 600, _sweep_abandoned_uploads)],
    )
