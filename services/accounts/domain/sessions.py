"""Sessions: a sign-in starts a family of refresh tokens, each used once to get the next
(and a new access token). A token used a second time was copied: the whole family is
revoked. Only a SHA-256 of a token is kept; no I/O."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from cbkit.errors import Unauthenticated

TOKEN_BYTES = 32


@dataclass(frozen=True)
class RefreshToken:
    token_hash: bytes
    family_id: str
    account_id: str
    issued_at: datetime
    expires_at: datetime
    spent_at: datetime | None = None
    revoked_at: datetime | None = None


class RefreshRefused(Unauthenticated):
    def __init__(self, message: str, *, zh: str) -> None:
        super().__init__(message, field="refreshToken", zh=zh)


class RefreshReused(RefreshRefused):
    """A spent token came back: whoever holds the family may be an impostor."""


def hash_of(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def issue(
    account_id: str, now: datetime, lifetime: timedelta, family_id: str | None = None
) -> tuple[str, RefreshToken]:
    """A new opaque token and what is kept of it; a new family unless one is given."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    kept = RefreshToken(
        token_hash=hash_of(token),
        family_id=family_id or str(uuid.uuid4()),
        account_id=account_id,
        issued_at=now,
        expires_at=now + lifetime,
    )
    return token, kept


def refusal(token: RefreshToken | None, now: datetime) -> RefreshRefused | None:
    """Why the token cannot be used now, if it cannot."""
    if token is None:
        return RefreshRefused(
            "unknown refresh token: sign in again", zh="未知的刷新令牌：请重新登录"
        )
    if token.revoked_at is not None:
        return RefreshRefused(
            "this session was signed out: sign in again", zh="此会话已退出登录：请重新登录"
        )
    if token.spent_at is not None:
        return RefreshReused(
            "this refresh token was already used, so every session it belongs to"
            " is signed out: sign in again",
            zh="此刷新令牌已被使用过，它所属的所有会话均已退出登录：请重新登录",
        )
    if token.expires_at <= now:
        return RefreshRefused(
            "the refresh token expired: sign in again", zh="刷新令牌已过期：请重新登录"
        )
    return None
