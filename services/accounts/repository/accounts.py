"""SQL for accounts and consents."""

from __future__ import annotations

import uuid
from datetime import datetime
from operator import attrgetter

from cbkit.auth import Role
from cbkit.db import Connection, arguments, from_row, one_per_key, parse_uuids
from services.accounts.domain.accounts import Account
from services.accounts.domain.consents import Consent

COLUMNS = "id, role, email, display_name, created_at"
CONSENT_COLUMNS = "id, learner_id, institution_id, granted_at, expires_at, revoked_at"


async def insert_account(
    conn: Connection, role: Role, email: str, display_name: str, password_hash: str
) -> Account | None:
    """The new account, or None when the email is taken."""
    row = await conn.fetchrow(
        f"INSERT INTO accounts (id, role, email, display_name, password_hash)"
        f" VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING {COLUMNS}",
        uuid.uuid4(),
        role.value,
        email,
        display_name,
        password_hash,
    )
    return from_row(Account, row) if row else None


async def accounts_by_id(conn: Connection, ids: list[str]) -> list[Account | None]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM accounts WHERE id = ANY($1::uuid[])", parse_uuids(ids)
    )
    return one_per_key(ids, (from_row(Account, r) for r in rows), attrgetter("id"))


async def account_with_hash(conn: Connection, email: str) -> tuple[Account, str] | None:
    row = await conn.fetchrow(
        f"SELECT {COLUMNS}, password_hash FROM accounts WHERE lower(email) = $1", email
    )
    return (from_row(Account, row), row["password_hash"]) if row else None


async def set_password_hash(conn: Connection, account_id: str, password_hash: str) -> None:
    await conn.execute(
        "UPDATE accounts SET password_hash = $2 WHERE id = $1", uuid.UUID(account_id), password_hash
    )


async def has_admin(conn: Connection) -> bool:
    return bool(await conn.fetchval("SELECT EXISTS (SELECT 1 FROM accounts WHERE role = 'ADMIN')"))


async def lock_account(conn: Connection, account_id: str) -> None:
    """Serialise changes to one account's consents until the transaction ends; rows that
    merely reference the account (entries, redemptions) are not held up."""
    await conn.execute(
        "SELECT 1 FROM accounts WHERE id = $1 FOR NO KEY UPDATE", uuid.UUID(account_id)
    )


async def latest_consent(conn: Connection, learner_id: str, institution_id: str) -> Consent | None:
    row = await conn.fetchrow(
        f"SELECT {CONSENT_COLUMNS} FROM consents WHERE learner_id = $1 AND institution_id = $2"
        " ORDER BY granted_at DESC LIMIT 1",
        uuid.UUID(learner_id),
        uuid.UUID(institution_id),
    )
    return from_row(Consent, row) if row else None


async def save_consent(conn: Connection, consent: Consent) -> None:
    await conn.execute(
        f"INSERT INTO consents ({CONSENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
        " ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at,"
        " revoked_at = EXCLUDED.revoked_at",
        *arguments(consent, CONSENT_COLUMNS),
    )


async def lock_consent(conn: Connection, consent_id: str) -> Consent | None:
    ids = parse_uuids([consent_id])
    row = await conn.fetchrow(
        f"SELECT {CONSENT_COLUMNS} FROM consents WHERE id = ANY($1::uuid[]) FOR UPDATE", ids
    )
    return from_row(Consent, row) if row else None


async def hold_active_consent(
    conn: Connection, learner_id: str, institution_id: str, now: datetime
) -> bool:
    """Whether the learner's consent to the institution is active; a revocation waits
    for the transaction to end."""
    return bool(
        await conn.fetchval(
            "SELECT true FROM consents WHERE learner_id = $1 AND institution_id = $2"
            " AND revoked_at IS NULL AND expires_at > $3 LIMIT 1 FOR SHARE",
            uuid.UUID(learner_id),
            uuid.UUID(institution_id),
            now,
        )
    )


async def consenting_learners(
    conn: Connection, institution_id: str, learner_ids: list[str], now: datetime
) -> set[str]:
    """Those of `learner_ids` that have an active consent to the institution."""
    rows = await conn.fetch(
        "SELECT DISTINCT learner_id FROM consents WHERE institution_id = $1"
        " AND learner_id = ANY($2::uuid[]) AND revoked_at IS NULL AND expires_at > $3",
        uuid.UUID(institution_id),
        parse_uuids(learner_ids),
        now,
    )
    return {str(r["learner_id"]) for r in rows}


async def consents_by_account(conn: Connection, account_ids: list[str]) -> list[list[Consent]]:
    """Each account's consents, granted (learner) or received (institution), newest first."""
    ids = parse_uuids(account_ids)
    rows = await conn.fetch(
        f"SELECT {CONSENT_COLUMNS} FROM consents"
        " WHERE learner_id = ANY($1::uuid[]) OR institution_id = ANY($1::uuid[])"
        " ORDER BY granted_at DESC, id",
        ids,
    )
    grouped: dict[str, list[Consent]] = {i: [] for i in account_ids}
    for row in rows:
        consent = from_row(Consent, row)
        for owner in {consent.learner_id, consent.institution_id}:
            if owner in grouped:
                grouped[owner].append(consent)
    return [grouped[i] for i in account_ids]
