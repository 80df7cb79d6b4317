"""Accounts rules, free of I/O: what an email, a password and a name must be; an
admin disabling and enabling an account; a learner closing their own."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from cbkit import text as bounded
from cbkit.auth import Role
from cbkit.errors import Conflict, Forbidden, NotFound, Refusal

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
MAX_DISPLAY_NAME = 100
MAX_REASON = 500
MAX_SEARCH = 200
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# what a closed account keeps instead of its email and name
CLOSED_EMAIL_DOMAIN = "closed.invalid"
CLOSED_NAME = ""


@dataclass(frozen=True)
class Account:
    id: str
    role: Role
    email: str
    display_name: str
    created_at: datetime
    disabled_at: datetime | None = None
    disabled_reason: str | None = None
    closed_at: datetime | None = None


def normalise_email(email: str) -> str:
    value = email.strip().lower()
    if len(value) > 254 or not EMAIL.match(value):
        raise Refusal(
            "email must be an address like name@example.org",
            field="email",
            zh="email 必须是形如 name@example.org 的电子邮箱地址",
        )
    return value


def check_password(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refusal(
            f"{field} must be at least {MIN_PASSWORD_LENGTH} characters",
            field=field,
            zh=f"{field} 至少需要 {MIN_PASSWORD_LENGTH} 个字符",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Refusal(
            f"{field} must be at most {MAX_PASSWORD_LENGTH} characters",
            field=field,
            zh=f"{field} 最多 {MAX_PASSWORD_LENGTH} 个字符",
        )


def clean_display_name(name: str) -> str:
    return bounded.required(name, "displayName", MAX_DISPLAY_NAME)


def check_new_email(email: str) -> str:
    """An email a new account may have: not one kept for closed accounts."""
    if email.endswith("@" + CLOSED_EMAIL_DOMAIN):
        raise Refusal(
            f"email must not be at {CLOSED_EMAIL_DOMAIN}: it is kept for closed accounts",
            field="email",
            zh=f"email 不能使用 {CLOSED_EMAIL_DOMAIN} 域名：该域名留给已注销的账户",
        )
    return email


STAFF_ROLES = (Role.REVIEWER, Role.INSTITUTION, Role.ADMIN)


def check_staff_role(role: Role) -> None:
    if role not in STAFF_ROLES:
        raise Refusal(
            "role must be REVIEWER, INSTITUTION or ADMIN: learners open their own accounts",
            field="role",
            zh="role 必须是 REVIEWER、INSTITUTION 或 ADMIN：学习者自行开户",
        )


def check_id(value: str, field: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise Refusal(f"{field} is not an id", field=field, zh=f"{field} 不是有效的 id") from None


def clean_search(text: str | None) -> str | None:
    """What an admin searches accounts for: trimmed, None when blank, bounded."""
    if text is None or not text.strip():
        return None
    return bounded.at_most(text.strip(), "search", MAX_SEARCH)


# Disabling: an admin stops an account signing in; its data stays.


class AccountDisabled(Forbidden):
    """The answer to signing in to (or refreshing a session of) a disabled account."""


def check_reason(reason: str) -> str:
    return bounded.required(reason, "reason", MAX_REASON)


def found(account: Account | None, account_id: str, field: str | None = "id") -> Account:
    """The account, refused by name when there is none or it was closed."""
    if account is None:
        raise NotFound(
            f"there is no account with id {account_id}",
            field=field,
            zh=f"不存在 id 为 {account_id} 的账户",
        )
    if account.closed_at is not None:
        raise closed(account, field)
    return account


def closed(account: Account, field: str | None = None) -> NotFound:
    """What a closed account answers about anything but its closure."""
    assert account.closed_at is not None
    day = account.closed_at.date().isoformat()
    return NotFound(
        f"account {account.id} was closed on {day}",
        field=field,
        zh=f"账户 {account.id} 已于 {day} 注销",
    )


def disable(account: Account, admin_id: str, reason: str, now: datetime) -> Account:
    """The account once an admin disabled it; never the admin's own, never twice."""
    if account.id == admin_id:
        raise Forbidden(
            "an admin cannot disable their own account",
            field="id",
            zh="管理员不能停用自己的账户",
        )
    if account.disabled_at is not None:
        raise Conflict(
            f"account {account.id} is already disabled (since {account.disabled_at.isoformat()})",
            field="id",
            zh=f"账户 {account.id} 已被停用（自 {account.disabled_at.isoformat()} 起）",
        )
    return replace(account, disabled_at=now, disabled_reason=check_reason(reason))


def enable(account: Account) -> Account:
    if account.disabled_at is None:
        raise Conflict(
            f"account {account.id} is not disabled",
            field="id",
            zh=f"账户 {account.id} 未被停用",
        )
    return replace(account, disabled_at=None, disabled_reason=None)


def check_may_sign_in(account: Account, field: str | None = None) -> None:
    if account.disabled_at is not None:
        raise AccountDisabled(
            "this account is disabled; contact the bank",
            field=field,
            zh="此账户已被停用；请联系学分银行",
        )


# Closing (China's Personal Information Protection Law): a learner closes their own
# account; what identifies them goes, the ledger's figures stay.


def check_open(account: Account) -> None:
    """Refuse to close an account twice."""
    if account.closed_at is not None:
        day = account.closed_at.date().isoformat()
        raise Conflict(
            f"account {account.id} was already closed on {day}",
            zh=f"账户 {account.id} 已于 {day} 注销",
        )


def close(account: Account, now: datetime) -> Account:
    """The account once closed: an email nobody can sign in with (unique, like the id)
    and no name."""
    check_open(account)
    return replace(
        account,
        email=f"closed-{account.id}@{CLOSED_EMAIL_DOMAIN}",
        display_name=CLOSED_NAME,
        closed_at=now,
    )
