"""Review cases, their state machine and their deadlines; no I/O."""

from services.certification.domain.cases import (
    CALENDAR_ZONE,
    DECIDED_STATUS,
    FINAL,
    OPEN,
    Case,
    CaseStatus,
    Change,
    Decision,
    Step,
    SubmittedOutcome,
    local_day,
)
from services.certification.domain.transitions import (
    claim,
    decide,
    decided_on_time,
    is_overdue,
    open_case,
    resubmit,
    withdraw,
    working_days_left,
)
from services.certification.domain.verdicts import normalize_code

__all__ = [
    "CALENDAR_ZONE",
    "DECIDED_STATUS",
    "FINAL",
    "OPEN",
    "Case",
    "CaseStatus",
    "Change",
    "Decision",
    "Step",
    "SubmittedOutcome",
    "claim",
    "decide",
    "decided_on_time",
    "is_overdue",
    "local_day",
    "normalize_code",
    "open_case",
    "resubmit",
    "withdraw",
    "working_days_left",
]
