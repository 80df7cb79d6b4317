"""Review cases and their deadlines; no I/O."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from zoneinfo import ZoneInfo

from services.certification.calendar import WorkingCalendar

CALENDAR_ZONE = ZoneInfo("Asia/Shanghai")


class CaseStatus(Enum):
    PENDING = "PENDING"
    IN_REVIEW = "IN_REVIEW"
    NEEDS_INFO = "NEEDS_INFO"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


@dataclass(frozen=True)
class SubmittedOutcome:
    """What `outcome.submitted` told us; enough to decide without asking outcomes."""

    outcome_id: str
    learner_id: str
    kind: str
    title: str
    credential_code: str | None
    achieved_on: date
    hours: int | None
    submitted_at: datetime


@dataclass(frozen=True)
class Case:
    id: str
    outcome_id: str
    learner_id: str
    kind: str
    title: str
    credential_code: str | None
    achieved_on: date
    hours: int | None
    status: CaseStatus
    reviewer_id: str | None
    submitted_on: date
    due_on: date
    decided_at: datetime | None = None
    reason: str | None = None
    verified_credential_code: str | None = None


@dataclass(frozen=True)
class Step:
    status: CaseStatus
    by_id: str | None
    at: datetime
    note: str | None


def local_day(instant: datetime) -> date:
    """The calendar day of an instant where the calendar applies (Beijing time)."""
    return instant.astimezone(CALENDAR_ZONE).date()


def open_case(outcome: SubmittedOutcome, calendar: WorkingCalendar) -> Case:
    submitted_on = local_day(outcome.submitted_at)
    return Case(
        id=str(uuid.uuid4()),
        outcome_id=outcome.outcome_id,
        learner_id=outcome.learner_id,
        kind=outcome.kind,
        title=outcome.title,
        credential_code=outcome.credential_code,
        achieved_on=outcome.achieved_on,
        hours=outcome.hours,
        status=CaseStatus.PENDING,
        reviewer_id=None,
        submitted_on=submitted_on,
        due_on=calendar.due_on(submitted_on),
    )
