"""SQL for accounts."""

from __future__ import annotations

import uuid

import asyncpg

from cbkit.auth import Role
from cbkit.db import Connection, parse_uuids
from services.accounts.domain import Account

COLUMNS = "id, role, email, display_name, created_at"


def _account(row: asyncpg.Record) -> Account:
    return Account(
        id=str(row["id"]),
        role=Role(row["role"]),
        email=row["email"],
        display_name=row["display_name"],
        created_at=row["created_at"],
    )


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
    return _account(row) if row else None


async def accounts_by_id(conn: Connection, ids: list[str]) -> list[Account | None]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM accounts WHERE id = ANY($1::uuid[])", parse_uuids(ids)
    )
    found = {str(r["id"]): _account(r) for r in rows}
    return [found.get(i) for i in ids]
