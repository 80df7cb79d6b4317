"""Who may read and change results and their evidence; no I/O.

A learner's results and the files attached to them are that learner's data, read by:
the learner and admins, always; an institution while the learner's consent to it is
active; a reviewer while they have a case for the learner (a result of theirs waits
unclaimed in the review queue, or the reviewer claimed or decided one of their cases);
nobody else. The same rule holds on every path: the `outcome` root field, an account's
`outcomes`, each field of an `Outcome` reached through `_entities`, and the download
of a file. A file not (yet) part of any result is its owner's and admins' alone:
nobody reviews a loose upload.

Learners deposit: only a learner uploads evidence and adds results, and only the
learner whose result it is resubmits or withdraws it.

A learner who closed their account (`account.closed`) has nothing left to read: their
results answer only that closure, to everyone, and they deposit nothing more, even
with a token issued before. Admins read the bank's figures (`Stats`), nobody else.
"""

from __future__ import annotations

from dataclasses import dataclass

from cbkit.auth import Principal, Role
from cbkit.errors import Forbidden, NotFound

DEPOSITOR = Role.LEARNER
STATS_READER = Role.ADMIN
"""Who reads the bank's figures (`Stats`): counts over every learner's results."""


@dataclass(frozen=True)
class Grounds:
    """What may entitle a viewer to read one learner's data, besides being that learner
    or an admin."""

    consent: bool = False
    """The learner's consent to the viewer is active."""
    case: bool = False
    """The viewer has a case for the learner."""


NO_GROUNDS = Grounds()


def grounds_matter(viewer: Principal) -> bool:
    """Whether consents or cases can change what `viewer` may read, so that they are
    looked up only then."""
    return viewer.has(Role.INSTITUTION, Role.REVIEWER)


def may_read_results(viewer: Principal, learner_id: str, grounds: Grounds) -> bool:
    """Whether `viewer` may read the results of `learner_id` and their evidence."""
    if viewer.account_id == learner_id or viewer.has(Role.ADMIN):
        return True
    if viewer.has(Role.INSTITUTION):
        return grounds.consent
    if viewer.has(Role.REVIEWER):
        return grounds.case
    return False


def require_results(viewer: Principal, learner_id: str, grounds: Grounds, field: str) -> None:
    if not may_read_results(viewer, learner_id, grounds):
        raise Forbidden(
            "you may not read the results of this learner",
            field=field,
            zh="您无权查看该学习者的成果",
        )


def require_evidence(viewer: Principal, owner_id: str, attached: bool, grounds: Grounds) -> None:
    """Whether `viewer` may read a file of `owner_id`, `attached` to a result or not."""
    if attached:
        require_results(viewer, owner_id, grounds, "id")
    elif not (viewer.account_id == owner_id or viewer.has(Role.ADMIN)):
        raise Forbidden(
            "you may not read the uploads of this learner",
            field="id",
            zh="您无权查看该学习者上传的文件",
        )


def may_change_result(account_id: str, learner_id: str) -> bool:
    """Whether the learner `account_id` may resubmit or withdraw a result of `learner_id`."""
    return account_id == learner_id


def require_not_closed(learner_closed: bool, field: str = "id") -> None:
    """A result of a learner who closed their account answers only that."""
    if learner_closed:
        raise NotFound(
            "the result's learner closed their account",
            field=field,
            zh="该成果的学习者已注销账户",
        )


def require_open_account(closed: bool) -> None:
    """A learner who closed their account deposits nothing more (a token issued before
    the closure may still be valid for a while)."""
    if closed:
        raise Forbidden(
            "your account is closed: nothing more can be deposited",
            zh="您的账户已注销：不能再提交任何内容",
        )
