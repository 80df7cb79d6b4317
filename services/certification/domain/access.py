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

Once a learner closed their account, their cases answer nobody but admins (who
keep the figures): to everyone else they are not found, closure named as why.
Only admins read the bank's figures (`Stats`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cbkit.auth import Principal, Role
from cbkit.errors import Conflict, Forbidden, NotFound
from services.certification.domain.cases import Case
from services.certification.domain.consents import Consent

REVIEWERS = (Role.REVIEWER, Role.ADMIN)
"""Who may see the review queue, claim cases and decide them."""
STATS_READERS = (Role.ADMIN,)
"""Who may read the figures of certification (`Stats`)."""


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
        raise Forbidden(
            "you may not read the certification of this learner's results",
            field=field,
            zh="你无权查看该学习者成果的认证情况",
        )


def closure_hides_cases(caller: Principal) -> bool:
    """Whether the cases of a learner who closed their account are hidden from `caller`."""
    return caller.role is not Role.ADMIN


def require_learner_present(caller: Principal, case: Case, field: str) -> None:
    """A closed learner's cases answer only admins; others are told why they find none."""
    if case.learner_closed_at is not None and closure_hides_cases(caller):
        raise NotFound(
            "no such certification: the learner closed their account",
            field=field,
            zh="找不到该认证：该学习者已注销账户",
        )


def queue_reviewer(caller: Principal) -> str | None:
    """The reviewer whose cases bound what the caller sees of the queue: the cases of
    learners they have a case for. None for an admin, who sees every case."""
    return caller.account_id if cases_decide(caller) else None


def check_may_review(case: Case, caller: Principal) -> None:
    """Reviewing your own outcome is what review exists to prevent."""
    if case.learner_id == caller.account_id:
        raise Forbidden(
            "you cannot review your own outcome", field="id", zh="你不能审核自己提交的成果"
        )


def check_may_take_over(case: Case, caller: Principal) -> None:
    """A case held by someone else moves only when an admin takes it over."""
    held_by_another = case.reviewer_id not in (None, caller.account_id)
    if held_by_another and caller.role is not Role.ADMIN:
        raise Conflict(
            "another reviewer holds this case; only an admin can take it over",
            field="id",
            zh="该案件已由其他审核员认领；只有管理员可以接手",
        )


def check_may_decide(case: Case, caller: Principal) -> None:
    if case.reviewer_id != caller.account_id:
        raise Forbidden(
            "only the reviewer who claimed this case can decide it",
            field="id",
            zh="只有认领该案件的审核员才能作出决定",
        )
