"""What outcomes' resolvers, handlers, routes and jobs share, built once at start by
`service.py` from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from cbkit.clock import Clock
from cbkit.settings import Settings
from services.outcomes.domain.evidence import MiB


@dataclass(frozen=True)
class Dependencies:
    clock: Clock
    abandoned_upload_after: timedelta
    """An upload attached to no result for this long is deleted."""
    evidence_quota_bytes: int
    """What one learner's stored files may add up to."""

    @classmethod
    def from_settings(cls, settings: Settings) -> Dependencies:
        hours = settings.positive_int("CB_ABANDONED_UPLOAD_HOURS", 6)
        return cls(
            clock=Clock(settings.time_zone),
            abandoned_upload_after=timedelta(hours=hours),
            evidence_quota_bytes=settings.positive_int("CB_EVIDENCE_QUOTA_BYTES", 100 * MiB),
        )
