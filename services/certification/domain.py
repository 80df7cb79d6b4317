"""Review cases, their state machine and their deadlines; no I/O.

PENDING -> IN_REVIEW (claimed) -> APPROVED | REJECTED | NEEDS_INFO;
NEEDS_INFO -> PENDING when the learner resubmits (fresh deadline);
PENDING | IN_REVIEW | NEEDS_INFO -> WITHDRAWN when the learner withdraws.
APPROVED, REJECTED and WITHDRAWN are final.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum
from zoneinfo import ZoneInfo

from cbkit.errors import Conflict, Forbidden, Refusal
from services.certification.calendar import WorkingCalendar

CALENDAR_ZONE = ZoneInfo("Asia/Shanghai")
CREDENTIAL_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,63}$")
MAX_REASON = 2000


class CaseStatus(Enum):
    PENDING = "PENDING"
    IN_REVIEW = "IN_REVIEW"
    NEEDS_INFO = "NEEDS_INFO"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


OPEN = frozenset({CaseStatus.PENDING, CaseStatus.IN_REVIEW})
"""Waiting on a reviewer: these count against the deadline."""
FINAL = frozenset({CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN})


class Decision(Enum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"
    REQUEST_INFO = "REQUEST_INFO"


DECIDED_STATUS = {
    Decision.APPROVE: CaseStatus.APPROVED,
    Decision.REJECT: CaseStatus.REJECTED,
    Decision.REQUEST_INFO: CaseStatus.NEEDS_INFO,
}


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
    sequence: int = 1


@dataclass(frozen=True)
class Step:
    status: CaseStatus
    by_id: str | None
    at: datetime
    note: str | None


@dataclass(frozen=True)
class Change:
    """A transition: the case after it and the history step that records it."""

    case: Case
    step: Step


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


def _move(
    case: Case, by_id: str | None, at: datetime, note: str | None, **changes: object
) -> Change:
    after = replace(case, sequence=case.sequence + 1, **changes)  # type: ignore[arg-type]
    return Change(after, Step(after.status, by_id, at, note))


def claim(case: Case, reviewer_id: str, is_admin: bool, at: datetime) -> Change | None:
    """Assign the case to the caller; None when it is already theirs."""
    if case.learner_id == reviewer_id:
        raise Forbidden("you cannot review your own outcome", field="id")
    if case.status not in OPEN:
        raise Conflict(f"a {case.status.value} case cannot be claimed", field="id")
    if case.reviewer_id == reviewer_id:
        return None
    if case.reviewer_id is not None and not is_admin:
        raise Conflict(
            "another reviewer holds this case; only an admin can take it over", field="id"
        )
    note = f"taken over from {case.reviewer_id}" if case.reviewer_id else "claimed"
    return _move(case, reviewer_id, at, note, status=CaseStatus.IN_REVIEW, reviewer_id=reviewer_id)


def normalize_code(code: str | None) -> str | None:
    cleaned = (code or "").strip().upper()
    if not cleaned:
        return None
    if not CREDENTIAL_CODE.match(cleaned):
        raise Refusal(
            "a credential code is letters, digits, '.', '_' or '-', at most 64 characters",
            field="verifiedCredentialCode",
        )
    return cleaned


def _verified_code(case: Case, given: str | None) -> str | None:
    """On approval the reviewer names the credential type the evidence proves.

    Where the outcome claims a code the reviewer must confirm it explicitly (the
    same code or the one the evidence really proves): approving a claim
    unchecked is what review exists to prevent. Where it claims none, a code is
    optional and conversion goes by kind and hours.
    """
    code = normalize_code(given)
    if code is None and case.credential_code:
        raise Refusal(
            f"confirm the credential type the evidence proves"
            f" (the outcome claims {case.credential_code})",
            field="verifiedCredentialCode",
        )
    return code


def _reason(decision: Decision, reason: str | None) -> str | None:
    cleaned = (reason or "").strip() or None
    if cleaned is None and decision is not Decision.APPROVE:
        raise Refusal(f"{decision.value} needs a reason the learner can act on", field="reason")
    if cleaned and len(cleaned) > MAX_REASON:
        raise Refusal(f"a reason is at most {MAX_REASON} characters", field="reason")
    return cleaned


def decide(
    case: Case,
    reviewer_id: str,
    decision: Decision,
    reason: str | None,
    verified_credential_code: str | None,
    at: datetime,
) -> Change:
    if case.status is not CaseStatus.IN_REVIEW:
        raise Conflict(
            f"only a case IN_REVIEW can be decided; this one is {case.status.value}", field="id"
        )
    if case.reviewer_id != reviewer_id:
        raise Forbidden("only the reviewer who claimed this case can decide it", field="id")
    cleaned_reason = _reason(decision, reason)
    if decision is Decision.APPROVE:
        code = _verified_code(case, verified_credential_code)
    elif normalize_code(verified_credential_code) is not None:
        raise Refusal("only an approval verifies a credential code", field="verifiedCredentialCode")
    else:
        code = None
    note = cleaned_reason or (f"approved as {code}" if code else "approved")
    return _move(
        case,
        reviewer_id,
        at,
        note,
        status=DECIDED_STATUS[decision],
        decided_at=at,
        reason=cleaned_reason,
        verified_credential_code=code,
    )


def resubmit(
    case: Case, resubmitted_at: datetime, note: str | None, calendar: WorkingCalendar
) -> Change | None:
    """The learner answered a request for information: the case waits for a
    reviewer again with a fresh deadline. None when nothing is waiting for it
    (a duplicate, or an answer older than the current request)."""
    if case.status is not CaseStatus.NEEDS_INFO:
        return None
    if case.decided_at is not None and resubmitted_at < case.decided_at:
        return None
    return _move(
        case,
        case.learner_id,
        resubmitted_at,
        note or "resubmitted",
        status=CaseStatus.PENDING,
        reviewer_id=None,
        decided_at=None,
        reason=None,
        verified_credential_code=None,
        due_on=calendar.due_on(local_day(resubmitted_at)),
    )


def withdraw(case: Case, withdrawn_at: datetime) -> Change | None:
    """The learner withdrew the outcome; None once the case is final."""
    if case.status in FINAL:
        return None
    return _move(case, case.learner_id, withdrawn_at, "withdrawn", status=CaseStatus.WITHDRAWN)


def working_days_left(case: Case, today: date, calendar: WorkingCalendar) -> int:
    return calendar.working_days_left(today, case.due_on)


def is_overdue(case: Case, today: date, calendar: WorkingCalendar) -> bool:
    """Waiting on a reviewer and a working day has passed since the due date."""
    return case.status in OPEN and calendar.working_days_left(today, case.due_on) < 0


def decided_on_time(case: Case) -> bool:
    return case.decided_at is not None and local_day(case.decided_at) <= case.due_on
