"""What a page of the review queue holds: the filters a reviewer asks for and those
the access policy adds; no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cbkit.auth import Principal
from services.certification.domain import access
from services.certification.domain.cases import OPEN, CaseStatus, OutcomeKind


@dataclass(frozen=True)
class QueueFilter:
    """Cases in `statuses`, oldest due first, narrowed by each filter that is set.

    `claimed_by`: held by that reviewer; `unclaimed`: held by nobody; `due_before`:
    due before that day (overdue); `kind` and `learner_id` as named; `visible_to`:
    only the cases of learners that reviewer has a case for (the access policy);
    `hide_closed`: not the cases of learners who closed their account."""

    statuses: frozenset[CaseStatus] = OPEN
    claimed_by: str | None = None
    unclaimed: bool = False
    due_before: date | None = None
    kind: OutcomeKind | None = None
    learner_id: str | None = None
    visible_to: str | None = None
    hide_closed: bool = False

    @property
    def empty(self) -> bool:
        """Whether no case can match (overdue cases are only those still open)."""
        return not self.statuses


def queue_filter(
    caller: Principal,
    *,
    status: CaseStatus | None = None,
    mine: bool = False,
    unclaimed: bool = False,
    overdue_before: date | None = None,
    kind: OutcomeKind | None = None,
    learner_id: str | None = None,
) -> QueueFilter:
    """The caller's filters (`overdue_before`: the day before which an open case is
    overdue, when they ask for overdue cases) with what the access policy adds."""
    statuses = OPEN if status is None else frozenset({status})
    if overdue_before is not None:
        statuses = statuses & OPEN
    return QueueFilter(
        statuses=statuses,
        claimed_by=caller.account_id if mine else None,
        unclaimed=unclaimed,
        due_before=overdue_before,
        kind=kind,
        learner_id=learner_id,
        visible_to=access.queue_reviewer(caller),
        hide_closed=access.closure_hides_cases(caller),
    )
