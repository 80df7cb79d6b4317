"""Use cases of conversion's copy of the consents: what lets an institution see a
learner's credits."""

from __future__ import annotations

from datetime import datetime

from cbkit.db import Connection
from services.conversion import domain
from services.conversion.repository import consents


async def grant(conn: Connection, consent: domain.Consent, expires_at: datetime) -> None:
    await consents.grant(conn, consent, expires_at)


async def revoke(conn: Connection, consent: domain.Consent, revoked_at: datetime) -> None:
    """Revoke the consent, even before its grant arrives."""
    await consents.revoke(conn, consent, revoked_at)
