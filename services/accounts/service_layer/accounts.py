"""Use cases of identity and consents: each takes a connection and plain values."""

from __future__ import annotations

import asyncio
import functools
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cbkit.auth import Role
from cbkit.db import Connection, lock
from cbkit.errors import Conflict, NotFound, Refusal
from cbkit.outbox import publish
from services.accounts import events
from services.accounts.domain import accounts as domain
from services.accounts.domain import consents
from services.accounts.domain.accounts import Account
from services.accounts.domain.consents import Consent
from services.accounts.repository import accounts as repository
from services.accounts.repository import ledger as ledger_repository

hasher = PasswordHasher()  # argon2id


async def open_account(
    conn: Connection, email: str, password: str, display_name: str, role: Role = Role.LEARNER
) -> Account:
    email = domain.normalise_email(email)
    domain.check_password(password)
    display_name = domain.clean_display_name(display_name)
    password_hash = await asyncio.to_thread(hasher.hash, password)
    async with conn.transaction():
        account = await repository.insert_account(conn, role, email, display_name, password_hash)
        if account is None:
            raise Conflict("an account with this email already exists", field="email")
        if role is Role.LEARNER:
            await ledger_repository.open_balance(conn, account.id)
        await publish(conn, events.account_opened(account))
    return account


async def create_staff_account(
    conn: Connection, role: Role, email: str, password: str, display_name: str
) -> Account:
    domain.check_staff_role(role)
    return await open_account(conn, email, password, display_name, role)


async def ensure_first_admin(conn: Connection, email: str, password: str) -> Account | None:
    """Create an admin from these credentials unless one exists; the new admin, if any."""
    async with conn.transaction():
        await lock(conn, "accounts:first-admin")
        if await repository.has_admin(conn):
            return None
        return await open_account(conn, email, password, "Administrator", Role.ADMIN)


@functools.cache
def _decoy_hash() -> str:
    return hasher.hash("a password no account has")


def _verify(password_hash: str | None, password: str) -> bool:
    """Verify in constant work: an unknown email costs the same as a wrong password."""
    try:
        return hasher.verify(password_hash or _decoy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


async def login(conn: Connection, email: str, password: str, now: datetime) -> Account:
    """The account these credentials open, or the same refusal for any mismatch."""
    try:
        email = domain.normalise_email(email)
    except Refusal:
        raise domain.SignInRefused() from None
    domain.check_not_locked(await repository.locked_until(conn, email), now)
    found = await repository.account_with_hash(conn, email)
    password_hash = found[1] if found else None
    if not await asyncio.to_thread(_verify, password_hash, password[: domain.MAX_PASSWORD_LENGTH]):
        await _count_failure(conn, email, now)
        raise domain.SignInRefused()
    assert found is not None
    await _signed_in(conn, email, found[0].id, found[1], password)
    return found[0]


async def _signed_in(
    conn: Connection, email: str, account_id: str, password_hash: str, password: str
) -> None:
    """Forget the email's failures; a hash made with older parameters is made anew."""
    async with conn.transaction():
        await repository.forget_failures(conn, email)
        if hasher.check_needs_rehash(password_hash):
            new_hash = await asyncio.to_thread(hasher.hash, password)
            await repository.set_password_hash(conn, account_id, new_hash)


async def _count_failure(conn: Connection, email: str, now: datetime) -> None:
    async with conn.transaction():
        locked_for = domain.lock_after(await repository.count_failure(conn, email, now))
        if locked_for:
            await repository.lock_sign_in(conn, email, now + locked_for)


async def grant_consent(
    conn: Connection, learner_id: str, institution_id: str, expires_at: datetime, now: datetime
) -> Consent:
    domain.check_id(institution_id, "institutionId")
    async with conn.transaction():
        institution = (await repository.accounts_by_id(conn, [institution_id]))[0]
        consents.check_institution(institution.role if institution else None)
        await repository.lock_account(conn, learner_id)
        current = await repository.latest_consent(conn, learner_id, institution_id)
        consent = consents.grant(learner_id, institution_id, expires_at, now, current)
        await repository.save_consent(conn, consent)
        await publish(conn, events.consent_granted(consent))
    return consent


async def revoke_consent(
    conn: Connection, learner_id: str, consent_id: str, now: datetime
) -> Consent:
    """Revoke at once; revoking again changes nothing."""
    async with conn.transaction():
        consent = await repository.lock_consent(conn, consent_id)
        if consent is None or consent.learner_id != learner_id:
            raise NotFound(f'you have no consent with id "{consent_id}"', field="consentId")
        if consent.revoked_at is not None:
            return consent
        revoked = consents.revoke(consent, now)
        await repository.save_consent(conn, revoked)
        await publish(conn, events.consent_revoked(revoked))
    return revoked
