"""Use cases on our copy of learners' consents: kept from accounts' events, asked
when an institution reads."""

from __future__ import annotations

from datetime import datetime

from cbkit.auth import Principal
from cbkit.db import Connection
from services.outcomes.domain import access
from services.outcomes.repository import consents


async def record_grant(
    conn: Connection, consent_id: str, learner_id: str, institution_id: str, expires_at: datetime
) -> None:
    await consents.granted(conn, consent_id, learner_id, institution_id, expires_at)


async def record_revocation(
    conn: Connection, consent_id: str, learner_id: str, institution_id: str, revoked_at: datetime
) -> None:
    await consents.revoked(conn, consent_id, learner_id, institution_id, revoked_at)


async def consented(conn: Connection, viewer: Principal, learner_id: str) -> bool:
    """Whether `learner_id` granted `viewer` an active consent, looked up only when the
    access policy cares."""
    if not access.consent_matters(viewer):
        return False
    return await consents.has_active_consent(conn, viewer.account_id, learner_id)
