"""Who may see and do what with certification cases; no I/O.

Reviewers and admins work the review queue: they see it, claim cases and decide
them. Nobody reviews their own outcome, not even an admin. A case another
reviewer holds can be taken over only by an admin, and only the one holding a
case decides it. A case itself (through its outcome, or by its key) shows to
whoever the gateway let reach it: outcomes decides who may see an outcome, and
this service does not check again.
"""

from __future__ import annotations

from cbkit.auth import Principal, Role
from cbkit.errors import Conflict, Forbidden
from services.certification.domain.cases import Case

REVIEWERS = (Role.REVIEWER, Role.ADMIN)
"""Who may see the review queue, claim cases and decide them."""


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
