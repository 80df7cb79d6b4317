"""Deadlines: the review cases this service follows from certification's events (when
each is due and who holds it) and the learners' conversions whose credits expire;
when a reviewer (or every admin) is reminded, and when a learner is warned. Pure:
no I/O; the working days come from the calendar certification counts with."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum

from cbkit.calendar import Calendar

REMIND_WORKING_DAYS = 2
"""A case's reviewer is reminded this many working days before it is due."""

EXPIRY_WARNING_DAYS = 30
"""A learner is warned of credits that expire within this many days."""

_IDS = uuid.UUID("5d0f0b6e-4a55-4c1e-9d7e-2f3a8c0e6b17")
"""The namespace of the ids a reminder or warning is made under (no event makes them)."""


class CaseState(Enum):
    """Where a case stands as far as its deadline goes."""

    WAITING = "WAITING"
    """On a reviewer (PENDING or IN_REVIEW): the deadline runs."""
    PAUSED = "PAUSED"
    """The reviewer asked the learner for more (NEEDS_INFO): until they resubmit."""
    CLOSED = "CLOSED"
    """Decided or withdrawn: nothing is due any more."""


@dataclass(frozen=True)
class ReviewCase:
    """A case as the events told it, one per outcome (certification opens one per
    result); `case_id` is known once certification names it, `due_on` once the
    submission (or a decision) was heard. `sequence` is certification's count of the
    case's transitions, so a late, older event changes nothing."""

    outcome_id: str
    learner_id: str
    state: CaseState
    case_id: str | None = None
    reviewer_id: str | None = None
    due_on: date | None = None
    remind_on: date | None = None
    sequence: int = 0
    reminded_for: date | None = None
    """The due day whose reminder went out (each due day is reminded once to whoever
    holds the case)."""
    reminded_to: str | None = None
    """Who that reminder went to: the reviewer, None for the admins (nobody held it);
    a reviewer who claims the case after it is reminded too."""


def due_on_submission(submitted_at: datetime, calendar: Calendar) -> date:
    """The day a case opened (or reopened) at `submitted_at` is due: the calendar's
    due day of the submission's day, as certification computes it."""
    return calendar.due_on(calendar.day_of(submitted_at))


def remind_on(due_on: date, calendar: Calendar) -> date:
    """The first day with at most two working days left up to `due_on`: the second
    working day before it (before a holiday, its last working day)."""
    return calendar.working_days_before(due_on, REMIND_WORKING_DAYS)


def reminder_id(case: ReviewCase) -> str:
    """The one id of the reminder of the case's due day: a second run makes none."""
    return str(uuid.uuid5(_IDS, f"case-due-soon:{case.outcome_id}:{case.due_on}"))


@dataclass(frozen=True)
class CaseStep:
    """A step certification published (claimed, approved, rejected, info_requested):
    the case's state after it; `due_on` when the event carries it."""

    outcome_id: str
    learner_id: str
    case_id: str | None
    sequence: int | None
    """None when the event carries none: taken as the newest."""
    state: CaseState
    reviewer_id: str | None
    due_on: date | None = None


def _due(case: ReviewCase, due_on: date | None, calendar: Calendar) -> ReviewCase:
    if due_on is None or due_on == case.due_on:
        return case
    return replace(case, due_on=due_on, remind_on=remind_on(due_on, calendar))


def opened(
    case: ReviewCase | None, outcome_id: str, learner_id: str, due_on: date, calendar: Calendar
) -> ReviewCase:
    """The case outcome.submitted opens, due on `due_on`; one heard of first from a
    later step keeps its state and learns its due day (unless a step named one)."""
    if case is None:
        case = ReviewCase(outcome_id, learner_id, CaseState.WAITING)
    return case if case.due_on else _due(case, due_on, calendar)


def stepped(case: ReviewCase | None, step: CaseStep, calendar: Calendar) -> ReviewCase | None:
    """The case after certification's `step`; None when the case already went past it
    (a late, older event). The step's due day is preferred to the one worked out."""
    if case is not None and step.sequence is not None and case.sequence >= step.sequence:
        return None
    if case is None:
        case = ReviewCase(step.outcome_id, step.learner_id, step.state)
    moved = replace(
        case,
        state=step.state,
        case_id=step.case_id or case.case_id,
        reviewer_id=step.reviewer_id,
        sequence=case.sequence + 1 if step.sequence is None else step.sequence,
    )
    return _due(moved, step.due_on, calendar)


def resubmitted(case: ReviewCase | None, due_on: date, calendar: Calendar) -> ReviewCase | None:
    """The learner answered a request for information: the case waits, unclaimed, on
    a fresh due day (certification counts it as a step). None when nothing waited for
    the answer."""
    if case is None or case.state is not CaseState.PAUSED:
        return None
    reopened = replace(case, state=CaseState.WAITING, reviewer_id=None, sequence=case.sequence + 1)
    return _due(reopened, due_on, calendar)


def withdrawn(case: ReviewCase | None) -> ReviewCase | None:
    """The learner withdrew the result: nothing is due any more."""
    if case is None or case.state is CaseState.CLOSED:
        return None
    return replace(case, state=CaseState.CLOSED)


def recipients(reviewer_id: str | None, admins: Sequence[str]) -> list[str]:
    """Who hears of a case's deadline: the reviewer who claimed it, else every admin."""
    return [reviewer_id] if reviewer_id else list(admins)


class CreditState(Enum):
    """Where a conversion's credits stand, as accounts' and conversion's events say."""

    ACTIVE = "ACTIVE"
    REDEEMED = "REDEEMED"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"


def moves_to(state: CreditState) -> tuple[CreditState, ...]:
    """The states from which credits move to `state`: redeemed ones only from ACTIVE,
    ACTIVE again only from REDEEMED (a reversed redemption); revoked and expired from
    either, and they stay so."""
    if state is CreditState.ACTIVE:
        return (CreditState.REDEEMED,)
    if state is CreditState.REDEEMED:
        return (CreditState.ACTIVE,)
    return (CreditState.ACTIVE, CreditState.REDEEMED)


@dataclass(frozen=True)
class Conversion:
    """A conversion's credits as the learner holds them: ACTIVE until redeemed,
    revoked or expired (a reversed redemption makes them ACTIVE again)."""

    id: str
    learner_id: str
    course_code: str | None
    credits: Decimal | None
    expires_on: date | None
    warned_at: datetime | None = None

    def params(self) -> dict[str, str]:
        """What the learner's warning names: the course, the credits and the day."""
        found = {
            "courseCode": self.course_code,
            "credits": None if self.credits is None else str(self.credits),
            "expiresOn": None if self.expires_on is None else self.expires_on.isoformat(),
        }
        return {name: value for name, value in found.items() if value is not None}


def warn_until(today: date) -> date:
    """Credits expiring on or before this day (and not before today) are warned of."""
    return today + timedelta(days=EXPIRY_WARNING_DAYS)


def warning_id(conversion: Conversion) -> str:
    """The one id of a conversion's warning: each conversion is warned of once."""
    return str(uuid.uuid5(_IDS, f"credits-expiring:{conversion.id}"))
