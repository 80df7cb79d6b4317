"""SQL for refresh tokens, kept as hashes."""

from __future__ import annotations

import uuid
from datetime import datetime

from cbkit.db import Connection, arguments, from_row
from services.accounts.domain.sessions import RefreshToken

REFRESH_COLUMNS = "token_hash, family_id, account_id, issued_at, expires_at, spent_at, revoked_at"


async def insert_refresh_token(conn: Connection, token: RefreshToken) -> None:
    await conn.execute(
        f"INSERT INTO refresh_tokens ({REFRESH_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        *arguments(token, REFRESH_COLUMNS),
    )


async def lock_refresh_token(conn: Connection, token_hash: bytes) -> RefreshToken | None:
    """The token, held until the transaction ends so that it is spent once."""
    row = await conn.fetchrow(
        f"SELECT {REFRESH_COLUMNS} FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE",
        token_hash,
    )
    return from_row(RefreshToken, row) if row else None


async def spend_refresh_token(conn: Connection, token_hash: bytes, now: datetime) -> None:
    await conn.execute(
        "UPDATE refresh_tokens SET spent_at = $2 WHERE token_hash = $1", token_hash, now
    )


async def revoke_family(conn: Connection, family_id: str, now: datetime) -> None:
    await conn.execute(
        "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL",
        uuid.UUID(family_id),
        now,
    )


async def revoke_sessions(conn: Connection, account_id: str, now: datetime) -> int:
    """Revoke every refresh token of the account; how many sessions (families) that ends."""
    families: int = await conn.fetchval(
        "WITH revoked AS (UPDATE refresh_tokens SET revoked_at = $2"
        " WHERE account_id = $1 AND revoked_at IS NULL"
        " RETURNING family_id, spent_at, expires_at)"
        " SELECT count(DISTINCT family_id) FILTER (WHERE spent_at IS NULL AND expires_at > $2)"
        " FROM revoked",
        uuid.UUID(account_id),
        now,
    )
    return families


async def forget_expired_refresh_tokens(conn: Connection, now: datetime) -> None:
    await conn.execute("DELETE FROM refresh_tokens WHERE expires_at <= $1", now)


async def forget_sessions(conn: Connection, account_id: str) -> None:
    """Remove every refresh token of the account (a closure)."""
    await conn.execute("DELETE FROM refresh_tokens WHERE account_id = $1", uuid.UUID(account_id))
