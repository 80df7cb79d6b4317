"""SQL for the operators' figures."""

from __future__ import annotations

from cbkit.auth import Role
from cbkit.db import Connection
from services.accounts.domain.stats import CreditMonth, RoleCount


async def accounts_by_role(conn: Connection) -> list[RoleCount]:
    rows = await conn.fetch(
        "SELECT role, count(*) AS count,"
        " count(*) FILTER (WHERE disabled_at IS NOT NULL AND closed_at IS NULL) AS disabled,"
        " count(*) FILTER (WHERE closed_at IS NOT NULL) AS closed"
        " FROM accounts GROUP BY role"
    )
    return [RoleCount(Role(r["role"]), r["count"], r["disabled"], r["closed"]) for r in rows]


_KINDS = ("converted", "redeemed", "expired", "revoked", "reversed")


async def credits_by_month(conn: Connection, zone: str) -> list[CreditMonth]:
    """The credits each kind of ledger entry moved, by the month (in `zone`) in which
    it happened, oldest month first."""
    sums = ", ".join(
        f"coalesce(sum(abs(credits)) FILTER (WHERE kind = '{kind.upper()}'), 0.0) AS {kind}"
        for kind in _KINDS
    )
    rows = await conn.fetch(
        f"SELECT to_char(occurred_at AT TIME ZONE $1, 'YYYY-MM') AS month, {sums}"
        " FROM ledger_entries GROUP BY month ORDER BY month",
        zone,
    )
    return [CreditMonth(r["month"], *(r[kind] for kind in _KINDS)) for r in rows]
