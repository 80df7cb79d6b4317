"""The number of days, the calendar and its time zone are configuration of the
running service."""

from datetime import UTC, datetime

import pytest

from cbkit.settings import SettingsError
from cbkit.testing import handled
from services.certification.service import build
from services.certification.tests.conftest import current, outcomes_bus, submitted


async def test_a_service_configured_for_5_days_on_the_german_calendar_counts_berlin_days(
    run_service, stack
):
    # winter: Berlin is UTC+1 (Beijing UTC+8)
    friday_evening = submitted(submitted_at=datetime(2026, 2, 13, 20, 0, tzinfo=UTC))
    sunday_midnight = submitted(submitted_at=datetime(2026, 2, 15, 23, 30, tzinfo=UTC))
    german = {"CB_DAYS_TO_DECIDE": "5", "CB_CALENDAR_COUNTRY": "DE"}
    async with run_service(build(), **german) as certification, outcomes_bus(stack) as bus:
        for data in (friday_evening, sunday_midnight):
            await handled(certification, await bus.send("outcome.submitted", data))
        first = await current(
            certification, friday_evening["outcomeId"], bus.learner(friday_evening)
        )
        second = await current(
            certification, sunday_midnight["outcomeId"], bus.learner(sunday_midnight)
        )
    # 21:00 on Friday 13 Feb in Berlin (Saturday in Beijing); + 5 weekdays, Spring
    # Festival is no holiday in Germany
    assert (first["submittedOn"], first["dueOn"]) == ("2026-02-13", "2026-02-20")
    # 00:30 on Monday 16 Feb in Berlin (still Sunday in UTC)
    assert (second["submittedOn"], second["dueOn"]) == ("2026-02-16", "2026-02-23")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CB_METRICS_REFRESH_SECONDS", "abc"),
        ("CB_METRICS_REFRESH_SECONDS", "0"),
        ("CB_DAYS_TO_DECIDE", "fifteen"),
        ("CB_JOB_CERTIFICATION_OVERDUE_SECONDS", "-1"),
    ],
)
async def test_a_bad_setting_stops_the_start_and_names_the_variable(run_service, variable, value):
    with pytest.raises(SettingsError, match=variable):
        async with run_service(build(), **{variable: value}):
            pass
