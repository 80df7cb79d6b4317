"""Review cases, the steps of their history and what the metrics count; no I/O."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from enum import Enum
from typing import Any


class CaseStatus(Enum):
    PENDING = "PENDING"
    IN_REVIEW = "IN_REVIEW"
    NEEDS_INFO = "NEEDS_INFO"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


OPEN = frozenset({CaseStatus.PENDING, CaseStatus.IN_REVIEW})
"""Waiting on a reviewer: these count against the deadline."""


class OutcomeKind(Enum):
    """The kinds of outcome a case may be about (as outcomes names them)."""

    QUALIFICATION_CERTIFICATE = "QUALIFICATION_CERTIFICATE"
    VOCATIONAL_TRAINING = "VOCATIONAL_TRAINING"
    ONLINE_COURSE = "ONLINE_COURSE"
    ACADEMIC_COURSE = "ACADEMIC_COURSE"
    WORK_EXPERIENCE = "WORK_EXPERIENCE"
    OTHER = "OTHER"


class Decision(Enum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"
    REQUEST_INFO = "REQUEST_INFO"


@dataclass(frozen=True)
class ClaimedOutcome:
    """The outcome as its learner claims it: what a reviewer decides on."""

    outcome_id: str
    learner_id: str
    kind: str
    title: str | None  # erased (None) once the learner closed their account
    credential_code: str | None
    achieved_on: date
    hours: int | None

    def claimed(self) -> dict[str, Any]:
        """Only the claim, whichever record carries it (a case opens on it)."""
        return {field.name: getattr(self, field.name) for field in fields(ClaimedOutcome)}


@dataclass(frozen=True)
class SubmittedOutcome(ClaimedOutcome):
    """What `outcome.submitted` told us; enough to decide without asking outcomes."""

    submitted_at: datetime


@dataclass(frozen=True)
class Case(ClaimedOutcome):
    """A claimed outcome under review, where its review stands and by when it is due."""

    id: str
    status: CaseStatus
    reviewer_id: str | None
    submitted_on: date
    due_on: date
    decided_at: datetime | None = None
    reason: str | None = None
    verified_credential_code: str | None = None
    sequence: int = 1
    learner_closed_at: datetime | None = None
    """When the learner closed their account: the case then answers only admins."""


@dataclass(frozen=True)
class Step:
    status: CaseStatus
    by_id: str | None
    at: datetime
    note: str | None


@dataclass(frozen=True)
class Counts:
    """Cases waiting on a reviewer, those of them overdue, and decisions made."""

    open: int
    overdue: int
    decisions: int
    on_time: int

    @property
    def on_time_share(self) -> float:
        return self.on_time / self.decisions if self.decisions else 1.0


@dataclass(frozen=True)
class DecisionMonth:
    """Decisions made in one month ("YYYY-MM" in the bank's zone), and how many of
    them came on or before the case's due day (the 15-working-day promise)."""

    month: str
    decided: int
    on_time: int

    @property
    def late(self) -> int:
        return self.decided - self.on_time
