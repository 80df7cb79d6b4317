"""Review cases, their state machine, their deadlines and who may work them; no I/O."""

from services.certification.domain.calendar import Calendar
from services.certification.domain.cases import (
    OPEN,
    Case,
    CaseStatus,
    Counts,
    Decision,
    Step,
    SubmittedOutcome,
)
from services.certification.domain.transitions import (
    Change,
    claim,
    decide,
    decided_on_time,
    is_overdue,
    open_case,
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
    "Counts",
    "Decision",
    "Step",
    "SubmittedOutcome",
    "Verdict",
    "claim",
    "decide",
    "decided_on_time",
    "is_overdue",
    "normalize_code",
    "open_case",
    "resubmit",
    "withdraw",
    "working_days_left",
]
