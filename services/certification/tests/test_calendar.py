"""Due dates on the mainland China calendar of 2026, worked out by hand:
Spring Festival 15-23 Feb off with Saturdays 14 and 28 Feb worked; National
Day 1-7 Oct off with Sunday 20 Sep and Saturday 10 Oct worked."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cbkit.calendar import WorkingCalendar
from cbkit.settings import SettingsError, load_settings
from services.certification import domain
from services.certification.domain import CaseStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
CHINA = WorkingCalendar("CN", 15, SHANGHAI)


@pytest.mark.parametrize(
    ("submitted_on", "due_on", "why"),
    [
        (date(2026, 2, 13), date(2026, 3, 12), "Friday before Spring Festival; make-up 14, 28 Feb"),
        (date(2026, 2, 14), date(2026, 3, 13), "on the make-up Saturday"),
        (date(2026, 2, 17), date(2026, 3, 13), "on Spring Festival itself"),
        (date(2026, 2, 21), date(2026, 3, 13), "on a weekend inside the holiday"),
        (date(2026, 9, 28), date(2026, 10, 23), "before National Day; make-up 10 Oct"),
        (date(2026, 9, 30), date(2026, 10, 27), "the eve of National Day"),
        (date(2026, 10, 3), date(2026, 10, 27), "on National Day (a Saturday)"),
        (date(2026, 10, 10), date(2026, 10, 30), "on the make-up Saturday after it"),
        (date(2026, 3, 7), date(2026, 3, 27), "an ordinary Saturday"),
        (date(2026, 3, 8), date(2026, 3, 27), "an ordinary Sunday"),
        (date(2026, 3, 6), date(2026, 3, 27), "the Friday before them"),
    ],
)
def test_a_case_is_due_15_working_days_after_submission(submitted_on, due_on, why):
    assert CHINA.due_on(submitted_on) == due_on, why


def test_the_number_of_days_is_configuration():
    assert WorkingCalendar("CN", 5, SHANGHAI).due_on(date(2026, 2, 13)) == date(2026, 2, 27)


def test_the_calendar_is_configuration():
    # no Spring Festival in Germany: 15 weekdays from Friday 13 Feb
    assert WorkingCalendar("DE", 15, BERLIN).due_on(date(2026, 2, 13)) == date(2026, 3, 6)


def test_a_submission_late_in_the_evening_utc_counts_on_the_beijing_day():
    assert CHINA.day_of(datetime(2026, 2, 13, 16, 30, tzinfo=UTC)) == date(2026, 2, 14)
    assert CHINA.day_of(datetime(2026, 2, 13, 15, 59, tzinfo=UTC)) == date(2026, 2, 13)


def test_the_german_calendar_counts_on_the_berlin_day():
    germany = WorkingCalendar("DE", 15, BERLIN)
    # winter: Berlin is UTC+1, Beijing UTC+8
    assert germany.day_of(datetime(2026, 2, 13, 20, 0, tzinfo=UTC)) == date(2026, 2, 13)
    assert germany.day_of(datetime(2026, 2, 13, 23, 30, tzinfo=UTC)) == date(2026, 2, 14)
    # summer: UTC+2
    assert germany.day_of(datetime(2026, 7, 1, 21, 59, tzinfo=UTC)) == date(2026, 7, 1)
    assert germany.day_of(datetime(2026, 7, 1, 22, 0, tzinfo=UTC)) == date(2026, 7, 2)


def _case(due_on: date, status: CaseStatus = CaseStatus.PENDING) -> domain.Case:
    return domain.Case(
        id="c",
        outcome_id="o",
        learner_id="l",
        kind="ONLINE_COURSE",
        title="t",
        credential_code=None,
        achieved_on=date(2025, 1, 1),
        hours=None,
        status=status,
        reviewer_id=None,
        submitted_on=due_on - timedelta(days=21),
        due_on=due_on,
    )


def test_on_the_due_date_no_working_day_is_left_and_the_case_is_not_yet_overdue():
    case = _case(date(2026, 2, 13))
    assert domain.working_days_left(case, date(2026, 2, 12), CHINA) == 1
    assert domain.working_days_left(case, date(2026, 2, 13), CHINA) == 0
    assert domain.is_overdue(case, date(2026, 2, 13), CHINA) is False


def test_overdue_turns_true_on_the_next_working_day_not_before():
    case = _case(date(2026, 2, 13))  # Friday; then Saturday 14 is a make-up workday
    assert domain.is_overdue(case, date(2026, 2, 14), CHINA) is True
    assert domain.working_days_left(case, date(2026, 2, 14), CHINA) == -1

    before_holiday = _case(date(2026, 9, 30))  # then 1-7 Oct off
    for day in range(1, 8):
        assert domain.is_overdue(before_holiday, date(2026, 10, day), CHINA) is False
        assert domain.working_days_left(before_holiday, date(2026, 10, day), CHINA) == 0
    assert domain.is_overdue(before_holiday, date(2026, 10, 8), CHINA) is True
    assert (
        domain.working_days_left(before_holiday, date(2026, 10, 12), CHINA) == -4
    )  # 8, 9, 10 (Sat), 12


def test_working_days_left_skip_holidays_and_count_make_up_days():
    case = _case(date(2026, 3, 12))
    assert domain.working_days_left(case, date(2026, 2, 13), CHINA) == 15


@pytest.mark.parametrize("status", [CaseStatus.NEEDS_INFO, CaseStatus.APPROVED])
def test_a_case_not_waiting_on_a_reviewer_is_never_overdue(status):
    assert domain.is_overdue(_case(date(2026, 2, 13), status), date(2026, 3, 2), CHINA) is False


def test_the_last_working_day_steps_back_over_holidays():
    assert CHINA.last_working_day(date(2026, 10, 7)) == date(2026, 9, 30)
    assert CHINA.last_working_day(date(2026, 2, 14)) == date(2026, 2, 14)


def test_the_calendar_settings_are_read_and_refused_by_name():
    def calendar(**env: str) -> WorkingCalendar:
        return WorkingCalendar.from_settings(load_settings("certification", env))

    german = calendar(CB_CALENDAR_COUNTRY="DE", CB_DAYS_TO_DECIDE="10")
    assert (german.country, german.days_to_decide, german.zone) == ("DE", 10, BERLIN)
    assert calendar().zone == SHANGHAI
    assert calendar().due_on(date(2026, 9, 28)) == date(2026, 10, 23)
    for days in ("fifteen", "0"):
        with pytest.raises(SettingsError, match="CB_DAYS_TO_DECIDE"):
            calendar(CB_DAYS_TO_DECIDE=days)
    with pytest.raises(SettingsError, match="CB_CALENDAR_COUNTRY"):
        calendar(CB_CALENDAR_COUNTRY="XX", CB_TIME_ZONE="UTC")
