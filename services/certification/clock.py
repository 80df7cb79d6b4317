"""The service's sense of now, injectable so deadlines can be tested on any day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.certification.domain import local_day


class Clock:
    def __init__(self, frozen_at: datetime | None = None) -> None:
        self.frozen_at = frozen_at

    def now(self) -> datetime:
        return self.frozen_at or datetime.now(UTC)

    def today(self) -> date:
        """Today where the calendar applies."""
        return local_day(self.now())
