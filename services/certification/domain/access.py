"""Who may see and do what with certification cases; no I/O.

A case (its status, dates, reason, reviewer and history) is its learner's: the
learner and admins read it; an institution reads it only under an active consent
of that learner in this service's own copy of the consents; a reviewer reads the
cases of a learner only while they have a case for that learner (one of the
learner's cases is open and unclaimed, or they claimed or decided one of them).
Nobody else reads anything, and a caller without a token is told to sign in.

Reviewers and admins work the review queue: they see it (a reviewer only the
cases they may read), claim cases and decide them. Nobody reviews their own
outcome, not even an admin. A case another reviewer holds can be taken over only
by an admin, and only the one holding a case decides it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cbkit.auth import Principal, Role
from cbkit.errors import Conflict, Forbidden
from services.certification.domain.cases import Case
from services.certification.domain.consents import Consent

REVIEWERS = (Role.REVIEWER, Role.ADMIN)
"""Who may see the review queue, claim cases and decide them."""


@dataclass(frozen=True)
class Ties:
    """What links a caller to a learner: the learner's consents to the caller (an
    institution), or whether the caller (a reviewer) has a case for the learner."""

    consents: tuple[Consent, ...] = ()
    has_case: bool = False


NO_TIES = Ties()


def consent_decides(caller: Principal) -> bool:
    """Whether a learner's consents decide what `caller` reads, so that they are
    looked up only then."""
    return caller.role is Role.INSTITUTION


def cases_decide(caller: Principal) -> bool:
    """Whether the caller's cases for a learner decide what they read."""
    return caller.role is Role.REVIEWER


def ties_matter(caller: Principal, learner_id: str) -> bool:
    return caller.account_id != learner_id and (consent_decides(caller) or cases_decide(caller))


def may_read_cases_of(caller: Principal, learner_id: str, ties: Ties, now: datetime) -> bool:
    if caller.role is Role.ADMIN or caller.account_id == learner_id:
        return True
    if consent_decides(caller):
        return any(consent.active_at(now) for consent in ties.consents)
    if cases_decide(caller):
        return ties.has_case
    return False


def require_sight_of_cases(
    caller: Principal, learner_id: str, ties: Ties, now: datetime, field: str
) -> None:
    if not may_read_cases_of(caller, learner_id, ties, now):
        raise Forbidden("you may not read the certification of this learner's results", field=field)


def queue_reviewer(caller: Principal) -> str | None:
    """The reviewer whose cases bound what the caller sees of the queue: the cases of
    learners they have a case for. None for an admin, who sees every case."""
    return caller.account_id if cases_decide(caller) else None


def check_may_review(case: Case, caller: Principal) -> None:
    """Reviewing your own outcome is what review exists to prevent."""
    if case.learner_id == caller.account_id:
        raise Forbidden("you cannot review your own outcome", field="id")


def check_may_take_over(case: Case, caller: Principal) -> None:
    """A case held by someone else moves only when an admin takes it over."""
    held_by_another = case.reviewer_id not in (None, caller.account_id)
    if held_by_another and caller.role is not Role.ADMIN:
        raise Conflict(
            "another reviewer holds this case; only an admin can take it over", field="id"
        )


def check_may_decide(case: Case, caller: Principal) -> None:
    if case.reviewer_id != caller.account_id:
        raise Forbidden("only the reviewer who claimed this case can decide it", field="id")
