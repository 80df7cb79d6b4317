"""Learning outcomes ("results") as the learner deposits them; no I/O."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum

from cbkit.errors import Refusal

MAX_TITLE = 200
MAX_ISSUER = 200
OLDEST_YEAR = 1950


class OutcomeKind(Enum):
    QUALIFICATION_CERTIFICATE = "QUALIFICATION_CERTIFICATE"
    VOCATIONAL_TRAINING = "VOCATIONAL_TRAINING"
    ONLINE_COURSE = "ONLINE_COURSE"
    ACADEMIC_COURSE = "ACADEMIC_COURSE"
    WORK_EXPERIENCE = "WORK_EXPERIENCE"
    OTHER = "OTHER"


class OutcomeStatus(Enum):
    SUBMITTED = "SUBMITTED"
    IN_REVIEW = "IN_REVIEW"
    NEEDS_INFO = "NEEDS_INFO"
    CERTIFIED = "CERTIFIED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


@dataclass(frozen=True)
class NewResult:
    kind: OutcomeKind
    title: str
    issuer: str
    credential_code: str | None
    achieved_on: date
    hours: int | None


@dataclass(frozen=True)
class Outcome:
    id: str
    learner_id: str
    kind: OutcomeKind
    title: str
    issuer: str
    credential_code: str | None
    achieved_on: date
    hours: int | None
    status: OutcomeStatus
    submitted_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def _bounded_text(value: str, name: str, limit: int) -> str:
    text = " ".join(value.split())
    if not text:
        raise Refusal(f"{name} must not be empty", field=name)
    if len(text) > limit:
        raise Refusal(f"{name} must be at most {limit} characters", field=name)
    return text


def validate(result: NewResult, today: date) -> NewResult:
    """The result cleaned, or a refusal naming the first field that breaks a rule."""
    title = _bounded_text(result.title, "title", MAX_TITLE)
    issuer = _bounded_text(result.issuer, "issuer", MAX_ISSUER)
    if result.achieved_on > today:
        raise Refusal("achievedOn must not be in the future", field="achievedOn")
    if result.achieved_on.year < OLDEST_YEAR:
        raise Refusal(f"achievedOn must not be before {OLDEST_YEAR}", field="achievedOn")
    if result.hours is not None and result.hours <= 0:
        raise Refusal("hours must be a positive number", field="hours")
    code = (result.credential_code or "").strip().upper() or None
    return NewResult(result.kind, title, issuer, code, result.achieved_on, result.hours)


def submit(learner_id: str, result: NewResult, today: date) -> Outcome:
    clean = validate(result, today)
    return Outcome(
        id=str(uuid.uuid4()),
        learner_id=learner_id,
        kind=clean.kind,
        title=clean.title,
        issuer=clean.issuer,
        credential_code=clean.credential_code,
        achieved_on=clean.achieved_on,
        hours=clean.hours,
        status=OutcomeStatus.SUBMITTED,
    )
