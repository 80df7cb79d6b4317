"""SQL for sign-in attempts, counted per email and per client address."""

from __future__ import annotations

from datetime import datetime

from cbkit.db import Connection
from services.accounts.domain.sign_in import QUIET, Scope

# the attempts once this one is counted: one more, or the first after a quiet spell
_COUNTED = "CASE WHEN a.last_at <= $3::timestamptz - $5::interval THEN 1 ELSE a.attempts + 1 END"
_DELAY = "($4::float8[])[least({n}, cardinality($4::float8[]))]"
_NEXT_ALLOWED = f"$3::timestamptz + make_interval(secs => nullif({_DELAY}, 0))"


async def count_attempt(
    conn: Connection, scope: Scope, key: str, now: datetime, delays: list[float]
) -> bool:
    """Count one attempt of `key`, in one statement so that concurrent attempts are each
    counted; False, counting nothing, while the key must still wait."""
    counted = await conn.fetchval(
        "INSERT INTO sign_in_attempts AS a (scope, key, attempts, last_at, next_allowed_at)"
        f" VALUES ($1, $2, 1, $3, {_NEXT_ALLOWED.format(n=1)})"
        f" ON CONFLICT (scope, key) DO UPDATE SET attempts = {_COUNTED},"
        f" last_at = greatest(a.last_at, $3), next_allowed_at = {_NEXT_ALLOWED.format(n=_COUNTED)}"
        " WHERE a.next_allowed_at IS NULL OR a.next_allowed_at <= $3::timestamptz"
        " RETURNING true",
        scope.value,
        key,
        now,
        delays,
        QUIET,
    )
    return bool(counted)


async def allowed_at(conn: Connection, scope: Scope, key: str) -> datetime | None:
    found: datetime | None = await conn.fetchval(
        "SELECT next_allowed_at FROM sign_in_attempts WHERE scope = $1 AND key = $2",
        scope.value,
        key,
    )
    return found


async def forget_attempts(conn: Connection, scope: Scope, key: str) -> None:
    await conn.execute(
        "DELETE FROM sign_in_attempts WHERE scope = $1 AND key = $2", scope.value, key
    )


async def uncount_attempt(conn: Connection, scope: Scope, key: str) -> None:
    """Take back one attempt that turned out to be no failure."""
    await conn.execute(
        "UPDATE sign_in_attempts SET attempts = greatest(attempts - 1, 0)"
        " WHERE scope = $1 AND key = $2",
        scope.value,
        key,
    )


async def forget_quiet(conn: Connection, now: datetime) -> None:
    """Drop the counts nobody has to wait for any more and that a next attempt would
    start afresh."""
    await conn.execute(
        "DELETE FROM sign_in_attempts WHERE last_at <= $1::timestamptz - $2::interval"
        " AND (next_allowed_at IS NULL OR next_allowed_at <= $1)",
        now,
        QUIET,
    )
