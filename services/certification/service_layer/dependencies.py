"""What certification's resolvers, handlers and jobs share, built once at start by
`service.py` from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from cbkit.clock import Clock
from services.certification.domain import Calendar


@dataclass(frozen=True)
class Dependencies:
    calendar: Calendar
    clock: Clock
    metrics_refresh_seconds: float
