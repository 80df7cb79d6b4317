"""Accounts rules, free of I/O."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from cbkit.auth import Role
from cbkit.errors import Refusal, Unauthenticated

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
MAX_DISPLAY_NAME = 100
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Account:
    id: str
    role: Role
    email: str
    display_name: str
    created_at: datetime


def normalise_email(email: str) -> str:
    value = email.strip().lower()
    if len(value) > 254 or not EMAIL.match(value):
        raise Refusal("email must be an address like name@example.org", field="email")
    return value


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refusal(
            f"password must be at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Refusal(
            f"password must be at most {MAX_PASSWORD_LENGTH} characters", field="password"
        )


def clean_display_name(name: str) -> str:
    value = " ".join(name.split())
    if not value:
        raise Refusal("displayName must not be empty", field="displayName")
    if len(value) > MAX_DISPLAY_NAME:
        raise Refusal(
            f"displayName must be at most {MAX_DISPLAY_NAME} characters", field="displayName"
        )
    return value


STAFF_ROLES = (Role.REVIEWER, Role.INSTITUTION, Role.ADMIN)

# Sign-in throttling, per email whether or not an account has it: after
# FREE_FAILURES wrong passwords each further one locks the email for twice as
# long as the last, up to MAX_LOCK; failures older than FAILURE_MEMORY are forgotten.
FREE_FAILURES = 5
FIRST_LOCK = timedelta(seconds=30)
MAX_LOCK = timedelta(minutes=15)
FAILURE_MEMORY = timedelta(minutes=30)


class SignInRefused(Unauthenticated):
    """The one answer to a wrong email or a wrong password: it tells neither apart."""

    def __init__(self) -> None:
        super().__init__("wrong email or password")


class TooManyAttempts(Refusal):
    code = "TOO_MANY_ATTEMPTS"


def check_not_locked(locked_until: datetime | None, now: datetime) -> None:
    if locked_until and locked_until > now:
        wait = ceil((locked_until - now).total_seconds())
        raise TooManyAttempts(
            f"too many failed sign-ins for this email: try again in {wait} seconds"
        )


def lock_after(failures: int) -> timedelta | None:
    """How long the email is locked once it has failed `failures` times in a row."""
    over = failures - FREE_FAILURES
    return min(FIRST_LOCK * 2 ** min(over - 1, 8), MAX_LOCK) if over > 0 else None


def check_staff_role(role: Role) -> None:
    if role not in STAFF_ROLES:
        raise Refusal(
            "role must be REVIEWER, INSTITUTION or ADMIN: learners open their own accounts",
            field="role",
        )


def check_id(value: str, field: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise Refusal(f"{field} is not an id", field=field) from None
