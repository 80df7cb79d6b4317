"""Use cases of the operators' figures: each takes a connection."""

from __future__ import annotations

from datetime import tzinfo

from cbkit.db import Connection
from services.accounts.domain import stats
from services.accounts.domain.stats import CreditMonth, RoleCount
from services.accounts.repository import stats as repository


async def accounts_by_role(conn: Connection) -> list[RoleCount]:
    """Every role's accounts, zero included."""
    return stats.every_role(await repository.accounts_by_role(conn))


async def credits_by_month(conn: Connection, zone: tzinfo) -> list[CreditMonth]:
    """The ledger's credits by kind and month (in `zone`, the bank's), oldest first."""
    return await repository.credits_by_month(conn, stats.zone_name(zone))
