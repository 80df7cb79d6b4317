"""Accounts rules, free of I/O."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from cbkit.auth import Role
from cbkit.errors import Refusal

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


def check_password(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refusal(f"{field} must be at least {MIN_PASSWORD_LENGTH} characters", field=field)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Refusal(f"{field} must be at most {MAX_PASSWORD_LENGTH} characters", field=field)


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
