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
# an institution manages its own profile, courses and redemptions; an admin any's
MANAGES_INSTITUTIONS = (Role.INSTITUTION, Role.ADMIN)
READS_CREDIT_EVENTS = (Role.LEARNER, Role.INSTITUTION, Role.ADMIN)
MANAGES_OWN_SESSIONS = tuple(Role)
# admins list, disable and enable accounts, and read the bank's figures (Stats)
ADMINISTERS = (Role.ADMIN,)
READS_STATS = (Role.ADMIN,)
# a learner closes their own account (staff accounts are the bank's to remove)
CLOSES_OWN_ACCOUNT = (Role.LEARNER,)


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


# what `require` names, in Chinese
WHAT_ZH = {
    "anything": "任何信息",
    "the role": "角色",
    "the name": "名称",
    "the email": "电子邮箱",
    "the opening date": "开户日期",
    "the balance": "学分余额",
    "the ledger": "学分账本",
    "the consents": "授权",
    "the redemptions": "兑换记录",
    "the consented learners": "已授权的学习者",
}


def require(view: View, needed: View, what: str) -> None:
    if view < needed:
        raise Forbidden(
            f"you may not read {what} of this account",
            zh=f"你无权读取此账户的{WHAT_ZH.get(what, '信息')}",
        )


def require_standing(viewer: Principal, account_id: str) -> None:
    """Whether an account is disabled, and why, shows to the account itself and admins."""
    if viewer.role is not Role.ADMIN and viewer.account_id != account_id:
        raise Forbidden(
            "only the account itself and admins may read whether it is disabled",
            zh="只有账户本人和管理员可以查看该账户是否被停用",
        )


def visible_consents(viewer: Principal, consents: list[Consent]) -> list[Consent]:
    """An institution that reads a learner sees only the consents given to itself."""
    if consent_matters(viewer):
        return [c for c in consents if viewer.account_id in (c.institution_id, c.learner_id)]
    return consents


def require_consent_to_redeem(consented: bool) -> None:
    if not consented:
        raise Forbidden(
            "the learner has not given you an active consent",
            zh="该学习者没有给予你有效的授权",
        )


# Institutions' profiles (Institution, Account.institution, the directory) and the
# courses they offer are public, like the catalog: any caller, even an anonymous one,
# reads them, so no check stands in their way.


def institution_managed(viewer: Principal, institution_id: str | None) -> str:
    """The institution whose profile, courses or redemptions `viewer` changes: an
    institution its own (naming no other), an admin the one it names."""
    if viewer.role is Role.ADMIN:
        if institution_id is None:
            raise Forbidden(
                "an admin names the institution: pass institutionId",
                field="institutionId",
                zh="管理员须指明机构：请传入 institutionId",
            )
        return institution_id
    if institution_id is not None and institution_id != viewer.account_id:
        raise Forbidden(
            "an institution changes only its own profile and courses",
            field="institutionId",
            zh="机构只能修改自己的资料和课程",
        )
    return viewer.account_id


def require_reverses(viewer: Principal, institution_id: str) -> None:
    """Only the institution that made a redemption, or an admin, reverses it."""
    if viewer.role is not Role.ADMIN and viewer.account_id != institution_id:
        raise Forbidden(
            "only the institution that made a redemption, or an admin, reverses it",
            field="id",
            zh="只有进行兑换的机构或管理员可以撤回该兑换",
        )


def list_scope(viewer: Principal, account_id: str) -> str | None:
    """The institution a list of the account's consents or redemptions is narrowed to:
    an institution reading a learner (under a consent) sees only its own consents and the
    redemptions it made; None when `viewer` sees the whole list."""
    if consent_matters(viewer) and viewer.account_id != account_id:
        return viewer.account_id
    return None


def sees_redemption(viewer: Principal | None, learner_id: str, institution_id: str) -> bool:
    """A redemption shows to its learner, the institution that made it and admins."""
    if viewer is None:
        return False
    return viewer.role is Role.ADMIN or viewer.account_id in (learner_id, institution_id)


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
