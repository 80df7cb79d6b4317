"""SQL for the accounts heard of (account.opened, account.closed) and the titles of
the learners' results (outcome.submitted)."""

from __future__ import annotations

from datetime import datetime

from cbkit.auth import Role
from cbkit.db import Connection, fetch_one
from services.notifications.domain import Account


async def remember(conn: Connection, account: Account) -> None:
    """Keep the account; a closed one stays closed (a late account.opened opens nothing)."""
    await conn.execute(
        "INSERT INTO accounts (id, role, display_name) VALUES ($1, $2, $3)"
        " ON CONFLICT (id) DO UPDATE SET role = excluded.role,"
        " display_name = excluded.display_name WHERE accounts.closed_at IS NULL",
        account.id,
        account.role.value,
        account.display_name,
    )


async def find(conn: Connection, account_id: str) -> Account | None:
    return await fetch_one(
        conn,
        Account,
        "SELECT id, role, display_name, closed_at FROM accounts WHERE id = $1",
        account_id,
    )


async def close(conn: Connection, account_id: str, role: Role, closed_at: datetime) -> None:
    """Mark the account closed (even one never heard opened) and forget its name."""
    await conn.execute(
        "INSERT INTO accounts (id, role, closed_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (id) DO UPDATE SET display_name = NULL,"
        " closed_at = coalesce(accounts.closed_at, excluded.closed_at)",
        account_id,
        role.value,
        closed_at,
    )


async def is_closed(conn: Connection, account_id: str) -> bool:
    found = await conn.fetchval(
        "SELECT closed_at IS NOT NULL FROM accounts WHERE id = $1", account_id
    )
    return bool(found)


async def open_of_role(conn: Connection, role: Role) -> list[str]:
    """The ids of the open accounts of `role` (every admin, for notices nobody claimed)."""
    rows = await conn.fetch(
        "SELECT id FROM accounts WHERE role = $1 AND closed_at IS NULL ORDER BY id", role.value
    )
    return [str(r["id"]) for r in rows]


async def remember_outcome(conn: Connection, outcome_id: str, learner_id: str, title: str) -> None:
    await conn.execute(
        "INSERT INTO outcomes (id, learner_id, title) VALUES ($1, $2, $3)"
        " ON CONFLICT (id) DO NOTHING",
        outcome_id,
        learner_id,
        title,
    )


async def outcome_title(conn: Connection, outcome_id: str) -> str | None:
    title: str | None = await conn.fetchval("SELECT title FROM outcomes WHERE id = $1", outcome_id)
    return title


async def forget_outcomes(conn: Connection, learner_id: str) -> None:
    await conn.execute("DELETE FROM outcomes WHERE learner_id = $1", learner_id)
