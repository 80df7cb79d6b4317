"""Who may read what of an account, and who may do what; no I/O.

A learner reads only their own account; an institution reads a learner under
an active consent; an admin reads any account; a reviewer reads a learner's id
and display name (what a review case shows). Staff accounts (reviewers,
institutions, admins) show their name and role to anyone signed in, so that a
learner can tell whom they granted a consent and who decided their case.

An institution lists the consents it was given, revoked and expired ones too, but
the learner of a consent is what the institution may read of that learner: nothing
once no consent of theirs is active.

Only an admin creates staff accounts; only a learner grants and revokes consents;
only an institution redeems, and only under the learner's active consent; every
account changes its own password and signs itself out. Credit events follow the
same lines: a learner's own, an admin's all, an institution's those of learners who
consent to it, from when they consented, for as long as the subscriber's token holds.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from cbkit.auth import Principal, Role
from cbkit.errors import Forbidden
from services.accounts.domain.consents import Consent

# who may call each mutation and subscription
CREATES_STAFF = (Role.ADMIN,)
GRANTS_CONSENT = (Role.LEARNER,)
REDEEMS = (Role.INSTITUTION,)
READS_CREDIT_EVENTS = (Role.LEARNER, Role.INSTITUTION, Role.ADMIN)
MANAGES_OWN_SESSIONS = tuple(Role)


class View(IntEnum):
    """How much of an account a caller sees; each level includes the ones below."""

    NOTHING = 0
    NAME = 1  # id and displayName
    PROFILE = 2  # and role
    FULL = 3  # and email, createdAt, balance, ledger, consents


def consent_matters(viewer: Principal) -> bool:
    """Whether a learner's consent can change what `viewer` sees, so that consents are
    looked up only then."""
    return viewer.has(Role.INSTITUTION)


def view_of(viewer: Principal, account_id: str, role: Role | None, consented: bool) -> View:
    """What `viewer` sees of the account `account_id` (whose role is None when it does not
    exist); `consented` tells whether the account granted the viewer an active consent."""
    if viewer.role is Role.ADMIN or viewer.account_id == account_id:
        return View.FULL
    if role is None:
        return View.NOTHING
    if role is not Role.LEARNER:
        return View.PROFILE
    if consent_matters(viewer) and consented:
        return View.FULL
    if viewer.role is Role.REVIEWER:
        return View.NAME
    return View.NOTHING


def require(view: View, needed: View, what: str) -> None:
    if view < needed:
        raise Forbidden(f"you may not read {what} of this account")


def visible_consents(viewer: Principal, consents: list[Consent]) -> list[Consent]:
    """An institution that reads a learner sees only the consents given to itself."""
    if consent_matters(viewer):
        return [c for c in consents if viewer.account_id in (c.institution_id, c.learner_id)]
    return consents


def require_consent_to_redeem(consented: bool) -> None:
    if not consented:
        raise Forbidden("the learner has not given you an active consent")


def sees_credit_event(
    viewer: Principal, learner_id: str, occurred_at: datetime, consented_since: datetime | None
) -> bool:
    """Whether `viewer` sees a credit event of `learner_id`; `consented_since` is when the
    learner's active consent to the viewer was granted (None without one)."""
    if viewer.role is Role.ADMIN:
        return True
    if consent_matters(viewer):
        return consented_since is not None and consented_since <= occurred_at
    return viewer.account_id == learner_id
