"""The notifications domain: messages and what they say (`messages`), an account's
preferences (here), who may read and do what (`access`). Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from cbkit.auth import Role
from cbkit.errors import Refusal
from cbkit.i18n import Language
from services.notifications.domain.messages import (
    About,
    AboutType,
    Kind,
    Message,
    NewMessage,
    render,
)

__all__ = [
    "About",
    "AboutType",
    "Account",
    "Kind",
    "Message",
    "NewMessage",
    "Preferences",
    "PreferredLanguage",
    "check_preferences",
    "render",
]

MAX_EMAIL = 254
"""RFC 5321's bound on an address's length."""
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class PreferredLanguage(Enum):
    """The language an account reads its e-mails in (the inbox follows the request's)."""

    ZH_CN = "zh-CN"
    EN = "en"

    @property
    def language(self) -> Language:
        return "zh" if self is PreferredLanguage.ZH_CN else "en"


@dataclass(frozen=True)
class Account:
    """An account as account.opened told it: its role, and the name a learner's
    consent message shows to the institution (None once closed)."""

    id: str
    role: Role
    display_name: str | None
    closed_at: datetime | None = None


@dataclass(frozen=True)
class Preferences:
    """What an account chose: the e-mail language, the address to write to (None: no
    e-mail) and which kinds go by e-mail."""

    language: PreferredLanguage = PreferredLanguage.ZH_CN
    email: str | None = None
    email_kinds: tuple[Kind, ...] = ()

    def emails(self, kind: Kind) -> bool:
        """Whether a message of `kind` also goes by e-mail."""
        return self.email is not None and kind in self.email_kinds


def check_preferences(language: str, email: str | None, kinds: Sequence[Kind]) -> Preferences:
    """The preferences asked for, checked: the language zh-CN or en, a plausible
    address of at most 254 characters (or none), each kind once."""
    try:
        preferred = PreferredLanguage(language)
    except ValueError:
        raise Refusal(
            f"language must be zh-CN or en, not {language[:20]!r}",
            field="language",
            zh=f"language 必须是 zh-CN 或 en，而不是 {language[:20]!r}",
        ) from None
    if email is not None:
        email = email.strip()
        if len(email) > MAX_EMAIL:
            raise Refusal(
                f"email is longer than {MAX_EMAIL} characters",
                field="email",
                zh=f"电子邮件地址不能超过 {MAX_EMAIL} 个字符",
            )
        if not _EMAIL.match(email):
            raise Refusal(
                "email is not an e-mail address (name@example.org)",
                field="email",
                zh="电子邮件地址格式不正确（例如 name@example.org）",
            )
    unique = tuple(dict.fromkeys(kinds))
    return Preferences(language=preferred, email=email or None, email_kinds=unique)
