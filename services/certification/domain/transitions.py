"""The review state machine and deadlines; no I/O.

PENDING -> IN_REVIEW (claimed) -> APPROVED | REJECTED | NEEDS_INFO;
NEEDS_INFO -> PENDING when the learner resubmits (fresh deadline);
IN_REVIEW -> PENDING when the reviewer holding it closes their account;
PENDING | IN_REVIEW | NEEDS_INFO -> WITHDRAWN when the learner withdraws or closes
their account.
APPROVED, REJECTED and WITHDRAWN are final.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime

from cbkit.auth import Principal
from cbkit.calendar import Calendar
from cbkit.errors import Conflict
from services.certification.domain import access
from services.certification.domain.cases import (
    OPEN,
    Case,
    CaseStatus,
    Decision,
    Step,
    SubmittedOutcome,
)
from services.certification.domain.verdicts import Verdict, code_for, reason_for

FINAL = frozenset({CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN})
"""No transition leaves these."""
DECIDED_STATUS = {
    Decision.APPROVE: CaseStatus.APPROVED,
    Decision.REJECT: CaseStatus.REJECTED,
    Decision.REQUEST_INFO: CaseStatus.NEEDS_INFO,
}
"""Where each decision leaves the case."""


@dataclass(frozen=True)
class Change:
    """A transition: the case after it and the history step that records it."""

    case: Case
    step: Step


def open_case(outcome: SubmittedOutcome, calendar: Calendar) -> Case:
    submitted_on = calendar.day_of(outcome.submitted_at)
    return Case(
        **outcome.claimed(),
        id=str(uuid.uuid4()),
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


def claim(case: Case, caller: Principal, at: datetime) -> Change | None:
    """Assign the case to the caller; None when it is already theirs."""
    access.check_may_review(case, caller)
    if case.status not in OPEN:
        raise Conflict(
            f"a {case.status.value} case cannot be claimed",
            field="id",
            zh=f"状态为 {case.status.value} 的案件不能认领",
        )
    if case.reviewer_id == caller.account_id:
        return None
    access.check_may_take_over(case, caller)
    note = f"taken over from {case.reviewer_id}" if case.reviewer_id else "claimed"
    reviewer_id = caller.account_id
    return _move(case, reviewer_id, at, note, status=CaseStatus.IN_REVIEW, reviewer_id=reviewer_id)


def decide(case: Case, caller: Principal, verdict: Verdict, at: datetime) -> Change:
    if case.status is not CaseStatus.IN_REVIEW:
        raise Conflict(
            f"only a case IN_REVIEW can be decided; this one is {case.status.value}",
            field="id",
            zh=f"只有 IN_REVIEW 状态的案件才能作出决定；该案件为 {case.status.value}",
        )
    access.check_may_decide(case, caller)
    reason = reason_for(verdict.decision, verdict.reason)
    code = code_for(case, verdict)
    note = reason or (f"approved as {code}" if code else "approved")
    return _move(
        case,
        caller.account_id,
        at,
        note,
        status=DECIDED_STATUS[verdict.decision],
        decided_at=at,
        reason=reason,
        verified_credential_code=code,
    )


def resubmit(
    case: Case, resubmitted_at: datetime, note: str | None, calendar: Calendar
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
        due_on=calendar.due_on(calendar.day_of(resubmitted_at)),
    )


def withdraw(case: Case, withdrawn_at: datetime) -> Change | None:
    """The learner withdrew the outcome; None once the case is final."""
    if case.status in FINAL:
        return None
    return _move(case, case.learner_id, withdrawn_at, "withdrawn", status=CaseStatus.WITHDRAWN)


CLOSURE_NOTE = "withdrawn: the learner closed their account"


def close_for_learner(case: Case, closed_at: datetime) -> Change | None:
    """The learner closed their account: a case not yet final is withdrawn (nothing is
    left for a reviewer to do), the step saying why; None once the case is final."""
    if case.status in FINAL:
        return None
    return _move(case, None, closed_at, CLOSURE_NOTE, status=CaseStatus.WITHDRAWN)


RELEASE_NOTE = "released: the reviewer closed their account"


def release(case: Case, reviewer_id: str, closed_at: datetime) -> Change | None:
    """The reviewer holding the case closed their account: it waits unclaimed again
    (its deadline unchanged), for any reviewer to claim; None when they hold it not."""
    if case.status is not CaseStatus.IN_REVIEW or case.reviewer_id != reviewer_id:
        return None
    return _move(case, None, closed_at, RELEASE_NOTE, status=CaseStatus.PENDING, reviewer_id=None)


def working_days_left(case: Case, today: date, calendar: Calendar) -> int:
    return calendar.working_days_left(today, case.due_on)


def is_overdue(case: Case, today: date, calendar: Calendar) -> bool:
    """Waiting on a reviewer and a working day has passed since the due date."""
    return case.status in OPEN and calendar.working_days_left(today, case.due_on) < 0


def decided_on_time(case: Case, calendar: Calendar) -> bool:
    """Decided by the end of the due day where the calendar applies."""
    return case.decided_at is not None and calendar.day_of(case.decided_at) <= case.due_on
