"""How a result's status moves: the learner's own steps and the certification
events it follows; no I/O.

Certification numbers each transition of a case (`sequence`); we keep the
highest applied, so a repeated or late, older event changes nothing. The
learner's resubmission and withdrawal are ours and leave that number alone:
certification continues its count when it reopens the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from cbkit.errors import Conflict
from services.outcomes.domain.results import OutcomeStatus

DECIDED = frozenset({OutcomeStatus.CERTIFIED, OutcomeStatus.REJECTED})
WITHDRAWABLE = frozenset(
    {OutcomeStatus.SUBMITTED, OutcomeStatus.IN_REVIEW, OutcomeStatus.NEEDS_INFO}
)
# Deposited or resubmitted and claimed by no reviewer since: its case waits in the
# review queue, open to every reviewer.
AWAITING_REVIEW = frozenset({OutcomeStatus.SUBMITTED})


class CertificationStep(Enum):
    """A certification event, by routing key, and the status it shows the learner."""

    CLAIMED = "certification.claimed"
    INFO_REQUESTED = "certification.info_requested"
    APPROVED = "certification.approved"
    REJECTED = "certification.rejected"

    @property
    def status(self) -> OutcomeStatus:
        return _SHOWN[self]


_SHOWN = {
    CertificationStep.CLAIMED: OutcomeStatus.IN_REVIEW,
    CertificationStep.INFO_REQUESTED: OutcomeStatus.NEEDS_INFO,
    CertificationStep.APPROVED: OutcomeStatus.CERTIFIED,
    CertificationStep.REJECTED: OutcomeStatus.REJECTED,
}


@dataclass(frozen=True)
class HeardStep:
    """A certification event as outcomes reads it."""

    step: CertificationStep
    outcome_id: str
    learner_id: str
    reviewer_id: str | None
    """Who claimed or decided the case."""
    sequence: int


@dataclass(frozen=True)
class Progress:
    status: OutcomeStatus
    sequence: int


def resubmit(status: OutcomeStatus) -> OutcomeStatus:
    if status is not OutcomeStatus.NEEDS_INFO:
        raise Conflict(
            f"this result is {status.value}: only a result that needs information "
            "(NEEDS_INFO) can be resubmitted",
            zh=f"此成果的状态为 {status.value}：只有需要补充材料（NEEDS_INFO）的成果才能重新提交",
        )
    return OutcomeStatus.SUBMITTED


def withdraw(status: OutcomeStatus) -> OutcomeStatus:
    if status not in WITHDRAWABLE:
        raise Conflict(
            f"this result is {status.value}: only a result not yet decided "
            "(SUBMITTED, IN_REVIEW or NEEDS_INFO) can be withdrawn",
            zh=f"此成果的状态为 {status.value}：只有尚未作出决定"
            "（SUBMITTED、IN_REVIEW 或 NEEDS_INFO）的成果才能撤回",
        )
    return OutcomeStatus.WITHDRAWN


def follow(current: Progress, step: CertificationStep, sequence: int) -> Progress | None:
    """The progress after a certification event, or None when it changes nothing.

    A withdrawn result ignores the case's further steps, except a decision:
    certification decided before it heard of the withdrawal, and that decision
    is what the rest of the bank acts on, so the learner sees it too.
    """
    if sequence <= current.sequence:
        return None
    status = step.status
    if current.status is OutcomeStatus.WITHDRAWN and status not in DECIDED:
        status = OutcomeStatus.WITHDRAWN
    return Progress(status, sequence)
