"""Use cases of accounts and consents: each takes a connection and plain values.
Admins list, disable and enable accounts; a learner closes their own."""

from __future__ import annotations

from datetime import datetime

from cbkit.auth import Role
from cbkit.db import Connection, lock
from cbkit.errors import Conflict, Forbidden, NotFound
from cbkit.outbox import publish
from services.accounts import events
from services.accounts.domain import accounts as domain
from services.accounts.domain import consents, sign_in
from services.accounts.domain.accounts import Account
from services.accounts.domain.consents import Consent
from services.accounts.domain.sign_in import Scope
from services.accounts.repository import accounts as repository
from services.accounts.repository import feed as feed_repository
from services.accounts.repository import ledger as ledger_repository
from services.accounts.repository import sessions as session_repository
from services.accounts.repository import sign_in as attempts
from services.accounts.service_layer.feed import FeedListener
from services.accounts.service_layer.sign_in import Attempt, check_credentials, hash_password


async def open_account(
    conn: Connection, email: str, password: str, display_name: str, role: Role = Role.LEARNER
) -> Account:
    email = domain.check_new_email(domain.normalise_email(email))
    domain.check_password(password)
    display_name = domain.clean_display_name(display_name)
    password_hash = await hash_password(password)
    async with conn.transaction():
        account = await repository.insert_account(conn, role, email, display_name, password_hash)
        if account is None:
            raise Conflict(
                "an account with this email already exists",
                field="email",
                zh="已有账户使用此电子邮箱",
            )
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
        learner = await repository.lock_account_record(conn, learner_id)
        domain.found(learner, learner_id, field=None)
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
            raise NotFound(
                f'you have no consent with id "{consent_id}"',
                field="consentId",
                zh=f"你没有 id 为“{consent_id}”的授权",
            )
        if consent.revoked_at is not None:
            return consent
        revoked = consents.revoke(consent, now)
        await repository.save_consent(conn, revoked)
        await publish(conn, events.consent_revoked(revoked))
    return revoked


async def disable_account(
    conn: Connection, admin_id: str, account_id: str, reason: str, now: datetime
) -> Account:
    """Stop the account signing in, at once: every session of it is signed out too."""
    account_id = domain.check_id(account_id, "id")
    async with conn.transaction():
        account = domain.found(await repository.lock_account_record(conn, account_id), account_id)
        disabled = domain.disable(account, admin_id, reason, now)
        await repository.save_standing(conn, disabled)
        await session_repository.revoke_sessions(conn, account_id, now)
    return disabled


async def enable_account(conn: Connection, account_id: str) -> Account:
    account_id = domain.check_id(account_id, "id")
    async with conn.transaction():
        account = domain.found(await repository.lock_account_record(conn, account_id), account_id)
        enabled = domain.enable(account)
        await repository.save_standing(conn, enabled)
    return enabled


async def close_account(
    conn: Connection,
    feed: FeedListener,
    learner_id: str,
    address: str,
    now: datetime,
    password: str,
) -> Account:
    """Close the learner's account once the password is proven (a sign-in attempt from
    `address`, throttled alike). In one transaction its email and name are replaced, its
    password and sessions removed, every active consent revoked (each announced), its
    credit events taken off the feed, and the closure announced; the ledger stays."""
    (account,) = await repository.accounts_by_id(conn, [learner_id])
    assert account is not None, f"the signed-in account {learner_id} is missing"
    domain.check_open(account)
    try:
        await check_credentials(conn, Attempt(account.email, address, now), password)
    except sign_in.SignInRefused:
        raise Forbidden(
            "password is not your password", field="password", zh="password 不是你的密码"
        ) from None
    except sign_in.TooManyRequests as waiting:
        raise sign_in.TooManyRequests(waiting.message, field="password", zh=waiting.zh) from None
    async with conn.transaction():
        current = await repository.lock_account_record(conn, learner_id)
        assert current is not None
        closed = domain.close(current, now)
        await repository.save_closure(conn, closed)
        await session_repository.forget_sessions(conn, learner_id)
        await attempts.forget_attempts(conn, Scope.EMAIL, current.email)
        for consent in await repository.lock_active_consents(conn, learner_id, now):
            revoked = consents.revoke(consent, now)
            await repository.save_consent(conn, revoked)
            await publish(conn, events.consent_revoked(revoked))
        await feed_repository.forget_learner(conn, learner_id)
        await publish(conn, events.account_closed(closed))
    feed.forget(learner_id)
    return closed
