"""What the review rules need of a working-day calendar. The rules only ask; the
`holidays`-backed calendar in adapters answers, in the configured time zone."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol


class Calendar(Protocol):
    def day_of(self, instant: datetime) -> date:
        """The calendar day `instant` falls on where the calendar applies."""
        ...

    def due_on(self, submitted_on: date) -> date:
        """The day a case submitted on `submitted_on` must be decided by."""
        ...

    def working_days_left(self, today: date, due_on: date) -> int:
        """Working days after `today` up to `due_on`; negative once past it."""
        ...

    def last_working_day(self, today: date) -> date:
        """The latest working day on or before `today`."""
        ...
