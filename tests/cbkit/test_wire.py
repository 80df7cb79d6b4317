"""One wire format: what one service writes, every other reads back unchanged."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from cbkit import wire
from cbkit.clock import Clock, local_day
from cbkit.envelope import Event


def test_instants_are_rfc3339_utc_with_z_and_read_back_from_any_offset():
    beijing = timezone(timedelta(hours=8))
    at = datetime(2026, 12, 1, 16, 30, tzinfo=beijing)
    assert wire.instant(at) == "2026-12-01T08:30:00Z"
    assert wire.parse_instant("2026-12-01T08:30:00Z") == at
    assert wire.parse_instant("2026-12-01T16:30:00+08:00") == at
    with pytest.raises(ValueError, match="no time zone"):
        wire.instant(datetime(2026, 12, 1, 8, 30))
    with pytest.raises(ValueError, match="no offset"):
        wire.parse_instant("2026-12-01T08:30:00")


def test_credits_are_decimal_strings_never_floats():
    assert wire.credits(Decimal("2.5")) == "2.5"
    assert wire.parse_credits("2.5") == Decimal("2.5")
    with pytest.raises(ValueError, match="never floats"):
        wire.parse_credits(2.5)  # type: ignore[arg-type]
    for bad in ("two", "NaN", "Infinity"):
        with pytest.raises(ValueError):
            wire.parse_credits(bad)


def test_an_event_carries_the_wire_format_and_reads_its_instants():
    at = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    event = Event("x.happened", "/tests", "s", {"credits": Decimal("1.5"), "at": at})
    body = Event.from_json(event.to_json())
    assert body.data == {"credits": "1.5", "at": "2026-12-01T08:30:00Z"}
    assert body.instant("at") == at
    assert body.instant("missing") == event.time


def test_today_is_the_day_in_the_configured_zone():
    late_evening_utc = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    beijing = Clock(timezone(timedelta(hours=8)), frozen_at=late_evening_utc)
    assert beijing.today() == date(2026, 12, 2)
    assert Clock(UTC, frozen_at=late_evening_utc).today() == date(2026, 12, 1)
    assert local_day(late_evening_utc, timezone(timedelta(hours=-5))) == date(2026, 12, 1)
