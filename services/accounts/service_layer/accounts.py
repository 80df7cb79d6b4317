"""Use cases of accounts and consents: each takes a connection and plain values."""

from __future__ import annotations

from datetime import datetime

from cbkit.auth import Role
from cbkit.db import Connection, lock
from cbkit.errors import Conflict, NotFound
from cbkit.outbox import publish
from services.accounts import events
from services.accounts.domain import accounts as domain
from services.accounts.domain import consents
from services.accounts.domain.accounts import Account
from services.accounts.domain.consents import Consent
from services.accounts.repository import accounts as repository
from services.accounts.repository import ledger as ledger_repository
from services.accounts.service_layer.sign_in import hash_password


async def open_account(
    conn: Connection, email: str, password: str, display_name: str, role: Role = Role.LEARNER
) -> Account:
    email = domain.normalise_email(email)
    domain.check_password(password)
    display_name = domain.clean_display_name(display_name)
    password_hash = await hash_password(password)
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
