"""Use cases on our copy of learners' consents, kept from accounts' events."""

from __future__ import annotations

from datetime import datetime

from cbkit.db import Connection
from services.outcomes.domain import ConsentParties
from services.outcomes.repository import closures, consents


async def record_grant(
    conn: Connection, parties: ConsentParties, granted_at: datetime, expires_at: datetime
) -> None:
    """Keep the grant, unless the learner closed their account (a late event)."""
    if not await closures.is_closed(conn, parties.learner_id):
        await consents.granted(conn, parties, granted_at, expires_at)


async def record_revocation(conn: Connection, parties: ConsentParties, at: datetime) -> None:
    if not await closures.is_closed(conn, parties.learner_id):
        await consents.revoked(conn, parties, at)
