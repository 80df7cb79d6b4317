"""Use cases of passwords: checking them under throttling (sign-in, a password change)
and changing them, which signs the account out everywhere."""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cbkit.db import Connection
from cbkit.errors import Forbidden, Refusal
from services.accounts.domain import accounts as domain
from services.accounts.domain import sign_in
from services.accounts.domain.accounts import Account
from services.accounts.domain.sign_in import BACK_OFF, Scope
from services.accounts.repository import accounts as repository
from services.accounts.repository import sessions as session_repository
from services.accounts.repository import sign_in as attempts

hasher = PasswordHasher()  # argon2id


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt: the email tried, from which client address, when."""

    email: str
    address: str
    at: datetime


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(hasher.hash, password)


async def check_credentials(conn: Connection, attempt: Attempt, password: str) -> Account:
    """The account these credentials open, or the same refusal for any mismatch; the
    attempt is counted before the password is checked, and refused while it must wait.
    A disabled account is refused once its password is proven."""
    try:
        email = domain.normalise_email(attempt.email)
    except Refusal:
        raise sign_in.refused() from None
    await _count(conn, Attempt(email, attempt.address, attempt.at))
    found = await repository.account_with_hash(conn, email)
    password_hash = found[1] if found else None
    if not await asyncio.to_thread(_verify, password_hash, password[: domain.MAX_PASSWORD_LENGTH]):
        raise sign_in.refused()
    assert found is not None
    await _succeeded(conn, email, attempt.address, found[0].id, found[1], password)
    domain.check_may_sign_in(found[0])
    return found[0]


async def change_password(
    conn: Connection, account_id: str, address: str, now: datetime, current: str, new: str
) -> Account:
    """Set a new password once the current one is proven (an attempt to sign in to the
    account from `address`, throttled alike); every session is signed out."""
    domain.check_password(new, field="newPassword")
    (account,) = await repository.accounts_by_id(conn, [account_id])
    assert account is not None, f"the signed-in account {account_id} is missing"
    try:
        await check_credentials(conn, Attempt(account.email, address, now), current)
    except sign_in.SignInRefused:
        raise Forbidden(
            "currentPassword is not your password",
            field="currentPassword",
            zh="currentPassword 不是你的密码",
        ) from None
    except sign_in.TooManyRequests as waiting:
        raise sign_in.TooManyRequests(
            waiting.message, field="currentPassword", zh=waiting.zh
        ) from None
    new_hash = await hash_password(new)
    async with conn.transaction():
        await repository.set_password_hash(conn, account_id, new_hash)
        await session_repository.revoke_sessions(conn, account_id, now)
    return account


async def _count(conn: Connection, attempt: Attempt) -> None:
    """Count the attempt against its address and its email, both or neither: one that
    must wait counts nothing."""
    keys = ((Scope.ADDRESS, attempt.address), (Scope.EMAIL, attempt.email))
    async with conn.transaction():  # a refusal rolls back what was counted before it
        for scope, key in keys:
            delays = BACK_OFF[scope].delays()
            if not await attempts.count_attempt(conn, scope, key, attempt.at, delays):
                allowed_at = await attempts.allowed_at(conn, scope, key)
                raise sign_in.refuse_until(allowed_at or attempt.at, attempt.at)


async def _succeeded(
    conn: Connection, email: str, address: str, account_id: str, password_hash: str, password: str
) -> None:
    """Forget the email's attempts and take this one back from the address's; a hash
    made with older parameters is made anew."""
    async with conn.transaction():
        await attempts.forget_attempts(conn, Scope.EMAIL, email)
        await attempts.uncount_attempt(conn, Scope.ADDRESS, address)
        if hasher.check_needs_rehash(password_hash):
            await repository.set_password_hash(conn, account_id, await hash_password(password))


@functools.cache
def _decoy_hash() -> str:
    return hasher.hash("a password no account has")


def _verify(password_hash: str | None, password: str) -> bool:
    """Verify in constant work: an unknown email costs the same as a wrong password."""
    try:
        return hasher.verify(password_hash or _decoy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False
