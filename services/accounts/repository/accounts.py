"""SQL for accounts and consents, and the admins' list of accounts."""

from __future__ import annotations

import uuid
from datetime import datetime
from operator import attrgetter

from cbkit.auth import Role
from cbkit.db import Connection, arguments, from_row, one_per_key, parse_uuids
from cbkit.paging import Page, PageRequest, keyset, order_by, page
from services.accounts.domain.accounts import Account
from services.accounts.domain.consents import Consent

COLUMNS = "id, role, email, display_name, created_at, disabled_at, disabled_reason, closed_at"
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


async def lock_account_record(conn: Connection, account_id: str) -> Account | None:
    """The account, held until the transaction ends (as `lock_account` holds it)."""
    row = await conn.fetchrow(
        f"SELECT {COLUMNS} FROM accounts WHERE id = $1 FOR NO KEY UPDATE", uuid.UUID(account_id)
    )
    return from_row(Account, row) if row else None


async def save_standing(conn: Connection, account: Account) -> None:
    """Store whether the account is disabled, and why."""
    await conn.execute(
        "UPDATE accounts SET disabled_at = $2, disabled_reason = $3 WHERE id = $1",
        uuid.UUID(account.id),
        account.disabled_at,
        account.disabled_reason,
    )


async def save_closure(conn: Connection, account: Account) -> None:
    """Store a closed account: its new email and name, no password, when it closed."""
    await conn.execute(
        "UPDATE accounts SET email = $2, display_name = $3, password_hash = NULL,"
        " closed_at = $4 WHERE id = $1",
        uuid.UUID(account.id),
        account.email,
        account.display_name,
        account.closed_at,
    )


async def lock_active_consents(conn: Connection, learner_id: str, now: datetime) -> list[Consent]:
    rows = await conn.fetch(
        f"SELECT {CONSENT_COLUMNS} FROM consents WHERE learner_id = $1"
        " AND revoked_at IS NULL AND expires_at > $2 ORDER BY granted_at, id FOR UPDATE",
        uuid.UUID(learner_id),
        now,
    )
    return [from_row(Consent, r) for r in rows]


LISTED = ("created_at", "id")


def _listed(
    search: str | None, role: Role | None, disabled: bool | None, args: list[object]
) -> str:
    """The condition of the admins' list: open accounts, with the filters given."""
    conditions = ["closed_at IS NULL"]
    if search is not None:
        args.append("%" + _escaped(search.lower()) + "%")
        n = len(args)
        conditions.append(
            f"(lower(email) LIKE ${n} ESCAPE '\\' OR lower(display_name) LIKE ${n} ESCAPE '\\')"
        )
    if role is not None:
        args.append(role.value)
        conditions.append(f"role = ${len(args)}")
    if disabled is not None:
        conditions.append("disabled_at IS NOT NULL" if disabled else "disabled_at IS NULL")
    return " AND ".join(conditions)


def _escaped(text: str) -> str:
    """The text matched literally by LIKE."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def list_accounts(
    conn: Connection,
    request: PageRequest,
    search: str | None,
    role: Role | None,
    disabled: bool | None,
) -> Page[Account]:
    """A page of open accounts in the order they were opened (then by id)."""
    args: list[object] = []
    where = _listed(search, role, disabled, args)
    after = keyset(request, LISTED, args)
    args.append(request.limit)
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM accounts WHERE {where} AND {after}"
        f" {order_by(LISTED)} LIMIT ${len(args)}",
        *args,
    )
    found = [from_row(Account, r) for r in rows]
    return page(request, found, key=lambda a: (a.created_at, uuid.UUID(a.id)))


async def count_accounts(
    conn: Connection, search: str | None, role: Role | None, disabled: bool | None
) -> int:
    args: list[object] = []
    where = _listed(search, role, disabled, args)
    return int(await conn.fetchval(f"SELECT count(*) FROM accounts WHERE {where}", *args))
