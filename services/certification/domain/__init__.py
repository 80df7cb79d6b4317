"""Review cases, their state machine, their deadlines, the consents heard and who
may read and work the cases; no I/O."""

from cbkit.calendar import Calendar
from services.certification.domain.cases import (
    OPEN,
    Case,
    CaseStatus,
    Counts,
    Decision,
    DecisionMonth,
    OutcomeKind,
    Step,
    SubmittedOutcome,
)
from services.certification.domain.consents import Consent, with_grant, with_revocation
from services.certification.domain.queue import QueueFilter, queue_filter
from services.certification.domain.transitions import (
    Change,
    claim,
    close_for_learner,
    decide,
    decided_on_time,
    is_overdue,
    open_case,
    release,
    resubmit,
    withdraw,
    working_days_left,
)
from services.certification.domain.verdicts import Verdict, normalize_code

__all__ = [
    "OPEN",
    "Calendar",
    "Case",
    "CaseStatus",
    "Change",
    "Consent",
    "Counts",
    "Decision",
    "DecisionMonth",
    "OutcomeKind",
    "QueueFilter",
    "Step",
    "SubmittedOutcome",
    "Verdict",
    "claim",
    "close_for_learner",
    "decide",
    "decided_on_time",
    "is_overdue",
    "normalize_code",
    "open_case",
    "queue_filter",
    "release",
    "resubmit",
    "with_grant",
    "with_revocation",
    "withdraw",
    "working_days_left",
]
