"""Use cases on our copy of learners' consents, kept from accounts' events."""

from __future__ import annotations

from datetime import datetime

from cbkit.db import Connection
from services.outcomes.domain import ConsentParties
from services.outcomes.repository import consents


async def record_grant(
    conn: Connection, parties: ConsentParties, granted_at: datetime, expires_at: datetime
) -> None:
    await consents.granted(conn, parties, granted_at, expires_at)


async def record_revocation(conn: Connection, parties: ConsentParties, at: datetime) -> None:
    await consents.revoked(conn, parties, at)
