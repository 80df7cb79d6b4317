"""Who may read and change results and their evidence; no I/O.

Learners deposit: only a learner uploads evidence and adds results, and only the
learner whose result it is resubmits or withdraws it. A result and the files attached
to it are read by its learner, reviewers, admins, and institutions under the learner's
active consent. A file not (yet) part of any result is its owner's and admins' alone:
nobody reviews a loose upload.

Results reached as a federation entity (an account's `outcomes`, another service's
reference to an outcome) are not checked here: the field that leads to them decides.
"""

from __future__ import annotations

from cbkit.auth import Principal, Role

DEPOSITOR = Role.LEARNER


def consent_matters(viewer: Principal) -> bool:
    """Whether a learner's consent can change what `viewer` may read, so that the
    consent is looked up only then."""
    return viewer.has(Role.INSTITUTION)


def may_read_result(viewer: Principal, learner_id: str, consented: bool) -> bool:
    """Whether `viewer` may read a result of `learner_id`; `consented` tells whether
    the learner granted the viewer an active consent."""
    if viewer.account_id == learner_id or viewer.has(Role.REVIEWER, Role.ADMIN):
        return True
    return consent_matters(viewer) and consented


def may_read_evidence(viewer: Principal, owner_id: str, attached: bool, consented: bool) -> bool:
    """Whether `viewer` may read a file of `owner_id`, `attached` to a result or not."""
    if viewer.account_id == owner_id or viewer.has(Role.ADMIN):
        return True
    return attached and may_read_result(viewer, owner_id, consented)


def may_change_result(account_id: str, learner_id: str) -> bool:
    """Whether the learner `account_id` may resubmit or withdraw a result of `learner_id`."""
    return account_id == learner_id
