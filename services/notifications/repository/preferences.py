"""SQL for the accounts' preferences (no row: the defaults)."""

from __future__ import annotations

from datetime import datetime

from cbkit.db import Connection
from services.notifications.domain import Kind, Preferences, PreferredLanguage


async def of(conn: Connection, account_id: str) -> Preferences:
    """What the account chose, or the defaults."""
    return await stored(conn, account_id) or Preferences()


async def stored(conn: Connection, account_id: str) -> Preferences | None:
    """What the account chose; None when it never chose."""
    row = await conn.fetchrow(
        "SELECT language, email, email_kinds FROM preferences WHERE account_id = $1",
        account_id,
    )
    if row is None:
        return None
    return Preferences(
        language=PreferredLanguage(row["language"]),
        email=row["email"],
        email_kinds=tuple(Kind(k) for k in row["email_kinds"] if k in Kind.__members__),
    )


async def save(conn: Connection, account_id: str, preferences: Preferences, at: datetime) -> None:
    await conn.execute(
        "INSERT INTO preferences (account_id, language, email, email_kinds, updated_at)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id) DO UPDATE SET"
        " language = excluded.language, email = excluded.email,"
        " email_kinds = excluded.email_kinds, updated_at = excluded.updated_at",
        account_id,
        preferences.language.value,
        preferences.email,
        [k.value for k in preferences.email_kinds],
        at,
    )


async def erase(conn: Connection, account_id: str) -> None:
    await conn.execute("DELETE FROM preferences WHERE account_id = $1", account_id)
