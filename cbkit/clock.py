"""The one source of "now" and "today": injected, so a test can freeze it.
"Today" is the day where the configured calendar applies (`CB_TIME_ZONE`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo


def local_day(instant: datetime, zone: tzinfo) -> date:
    """The calendar day `instant` falls on in `zone`."""
    if instant.tzinfo is None:
        raise ValueError(f"naive datetime {instant!r} has no time zone")
    return instant.astimezone(zone).date()


class Clock:
    """Now in UTC, and today in `zone`; `frozen_at` stops it for tests."""

    def __init__(self, zone: tzinfo = UTC, frozen_at: datetime | None = None) -> None:
        self.zone = zone
        self.frozen_at = frozen_at

    def now(self) -> datetime:
        return self.frozen_at or datetime.now(UTC)

    def today(self) -> date:
        return local_day(self.now(), self.zone)

    def day_of(self, instant: datetime) -> date:
        return local_day(instant, self.zone)
