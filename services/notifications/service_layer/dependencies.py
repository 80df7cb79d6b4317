"""What notifications' resolvers, handlers and jobs share, built once at start by
`service.py` from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from cbkit.clock import Clock


@dataclass(frozen=True)
class Dependencies:
    clock: Clock
