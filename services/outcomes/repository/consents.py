"""SQL for our copy of consents (from accounts' consent events)."""

from __future__ import annotations

import uuid
from datetime import datetime

from cbkit.db import Connection, parse_uuids


async def granted(
    conn: Connection,
    consent_id: str,
    learner_id: str,
    institution_id: str,
    expires_at: datetime,
) -> None:
    """Record a grant; a revocation that arrived first stays in force."""
    await conn.execute(
        "INSERT INTO consents (consent_id, learner_id, institution_id, expires_at)"
        " VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (consent_id) DO UPDATE SET expires_at = EXCLUDED.expires_at",
        uuid.UUID(consent_id),
        uuid.UUID(learner_id),
        uuid.UUID(institution_id),
        expires_at,
    )


async def revoked(
    conn: Connection,
    consent_id: str,
    learner_id: str,
    institution_id: str,
    revoked_at: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO consents (consent_id, learner_id, institution_id, revoked_at)"
        " VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (consent_id) DO UPDATE SET revoked_at = EXCLUDED.revoked_at",
        uuid.UUID(consent_id),
        uuid.UUID(learner_id),
        uuid.UUID(institution_id),
        revoked_at,
    )


async def has_active_consent(conn: Connection, institution_id: str, learner_id: str) -> bool:
    ids = parse_uuids([institution_id, learner_id])
    if len(ids) != 2:
        return False
    found = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM consents WHERE institution_id = $1 AND learner_id = $2"
        " AND revoked_at IS NULL AND expires_at > now())",
        *ids,
    )
    return bool(found)
