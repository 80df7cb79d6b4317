"""Working days on a configured national calendar (public holidays off, make-up
workdays on), from the `holidays` package, and the day an instant falls on in the
configured time zone. The rules of a service ask through `Calendar`; the
`holidays`-backed `WorkingCalendar` answers."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from functools import cache
from typing import Protocol

import holidays

from cbkit.clock import local_day
from cbkit.settings import Settings, SettingsError

DEFAULT_DAYS = 15


class Calendar(Protocol):
    """What rules need of a working-day calendar."""

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

    def working_days_before(self, day: date, days: int) -> date:
        """The working day `days` working days before `day`."""
        ...


class WorkingCalendar:
    """The working-day calendar of CB_CALENDAR_COUNTRY (`Calendar`)."""

    def __init__(self, country: str, days_to_decide: int, zone: tzinfo) -> None:
        self.country = country
        self.days_to_decide = days_to_decide
        self.zone = zone

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkingCalendar:
        """CB_CALENDAR_COUNTRY (a `holidays` country code), its zone and CB_DAYS_TO_DECIDE."""
        country = settings.calendar_country
        days = settings.positive_int("CB_DAYS_TO_DECIDE", DEFAULT_DAYS)
        if country not in holidays.list_supported_countries():
            raise SettingsError(f"CB_CALENDAR_COUNTRY {country!r} is not a supported country code")
        return cls(country, days, settings.time_zone)

    @property
    def _holidays(self) -> holidays.HolidayBase:
        return _calendar(self.country)

    def day_of(self, instant: datetime) -> date:
        return local_day(instant, self.zone)

    def due_on(self, submitted_on: date) -> date:
        """The working day `days_to_decide` working days after `submitted_on`."""
        return self._holidays.get_nth_working_day(submitted_on, self.days_to_decide)

    def is_working_day(self, day: date) -> bool:
        return bool(self._holidays.is_working_day(day))

    def working_days_left(self, today: date, due_on: date) -> int:
        """Working days after today up to the due date; negative once past it."""
        if today == due_on:
            return 0
        if today < due_on:
            return self._count(today + timedelta(days=1), due_on)
        return -self._count(due_on + timedelta(days=1), today)

    def last_working_day(self, today: date) -> date:
        """The latest working day on or before `today`: a case is overdue once
        this is after its due date."""
        day = today
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def working_days_before(self, day: date, days: int) -> date:
        """The working day `days` working days before `day` (from it on, at most
        `days` working days are left up to `day`)."""
        return self._holidays.get_nth_working_day(day, -days)

    def _count(self, first: date, last: date) -> int:
        return int(self._holidays.get_working_days_count(first, last))


@cache
def _calendar(country: str) -> holidays.HolidayBase:
    return holidays.country_holidays(country)
