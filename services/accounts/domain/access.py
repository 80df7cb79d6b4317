"""Who may read what of an account; no I/O.

A learner reads only their own account; an institution reads a learner under
an active consent; an admin reads any account; a reviewer reads a learner's id
and display name (what a review case shows). Staff accounts (reviewers,
institutions, admins) show their name and role to anyone signed in, so that a
learner can tell whom they granted a consent and who decided their case.
"""

from __future__ import annotations

from enum import IntEnum

from cbkit.auth import Principal, Role
from cbkit.errors import Forbidden


class View(IntEnum):
    """How much of an account a caller sees; each level includes the ones below."""

    NOTHING = 0
    NAME = 1  # id and displayName
    PROFILE = 2  # and role
    FULL = 3  # and email, createdAt, balance, ledger, consents


def view_of(viewer: Principal, account_id: str, role: Role | None, consented: bool) -> View:
    """What `viewer` sees of the account `account_id` (whose role is None when it does not
    exist); `consented` tells whether the account granted the viewer an active consent."""
    if viewer.role is Role.ADMIN or viewer.account_id == account_id:
        return View.FULL
    if role is None:
        return View.NOTHING
    if role is not Role.LEARNER:
        return View.PROFILE
    if viewer.role is Role.INSTITUTION and consented:
        return View.FULL
    if viewer.role is Role.REVIEWER:
        return View.NAME
    return View.NOTHING


def require(view: View, needed: View, what: str) -> None:
    if view < needed:
        raise Forbidden(f"you may not read {what} of this account")
