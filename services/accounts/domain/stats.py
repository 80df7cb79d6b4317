"""The bank's figures for its operators, from accounts' records; no I/O.

Accounts by role count every account ever opened, closed ones too (a closure changes
no figure); credits by month sum the ledger's entries by the month, in the bank's
zone, in which they happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from decimal import Decimal

from cbkit.auth import Role

ZERO = Decimal("0.0")
STATS_ID = "bank"


@dataclass(frozen=True)
class RoleCount:
    role: Role
    count: int
    disabled: int = 0
    closed: int = 0


@dataclass(frozen=True)
class CreditMonth:
    month: str  # YYYY-MM in the bank's zone
    converted: Decimal = ZERO
    redeemed: Decimal = ZERO
    expired: Decimal = ZERO
    revoked: Decimal = ZERO
    reversed: Decimal = ZERO


def every_role(counted: list[RoleCount]) -> list[RoleCount]:
    """A count for each role, in the roles' order, zero where none was counted."""
    found = {c.role: c for c in counted}
    return [found.get(role, RoleCount(role, 0)) for role in Role]


def zone_name(zone: tzinfo) -> str:
    """The IANA name PostgreSQL knows the zone by."""
    key = getattr(zone, "key", None)
    return key if isinstance(key, str) else str(zone)
