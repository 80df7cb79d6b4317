"""SQL for the webhooks' copy of the learners' consents to institutions. Grants and
revocations may arrive in any order: each statement keeps the latest of its kind,
atomically, so two replicas handling a consent's events at once agree."""

from __future__ import annotations

from datetime import datetime

from cbkit.db import Connection, from_row
from services.notifications.domain.webhooks import ConsentTerm

GRANT = (
    "INSERT INTO webhook_consents AS c"
    " (consent_id, learner_id, institution_id, granted_at, expires_at)"
    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (consent_id) DO UPDATE"
    " SET granted_at = EXCLUDED.granted_at, expires_at = EXCLUDED.expires_at"
    # only a later grant moves the expiry; a row made by an early revocation has none
    " WHERE c.granted_at IS NULL OR EXCLUDED.granted_at > c.granted_at"
)
REVOKE = (
    "INSERT INTO webhook_consents AS c (consent_id, learner_id, institution_id, revoked_at)"
    " VALUES ($1, $2, $3, $4) ON CONFLICT (consent_id) DO UPDATE"
    " SET revoked_at = greatest(c.revoked_at, EXCLUDED.revoked_at)"
)


async def grant(
    conn: Connection,
    consent_id: str,
    learner_id: str,
    institution_id: str,
    granted_at: datetime,
    expires_at: datetime,
) -> None:
    await conn.execute(GRANT, consent_id, learner_id, institution_id, granted_at, expires_at)


async def revoke(
    conn: Connection, consent_id: str, learner_id: str, institution_id: str, revoked_at: datetime
) -> None:
    await conn.execute(REVOKE, consent_id, learner_id, institution_id, revoked_at)


async def of_learner(conn: Connection, learner_id: str) -> list[ConsentTerm]:
    """Every consent of the learner, to any institution."""
    rows = await conn.fetch(
        "SELECT institution_id, granted_at, expires_at, revoked_at FROM webhook_consents"
        " WHERE learner_id = $1",
        learner_id,
    )
    return [from_row(ConsentTerm, r) for r in rows]


async def of_learners(conn: Connection, learner_ids: list[str]) -> list[tuple[str, ConsentTerm]]:
    """Every consent of each of the learners, with the learner's id."""
    rows = await conn.fetch(
        "SELECT learner_id, institution_id, granted_at, expires_at, revoked_at"
        " FROM webhook_consents WHERE learner_id = ANY($1::uuid[])",
        learner_ids,
    )
    return [(str(r["learner_id"]), from_row(ConsentTerm, r)) for r in rows]


async def forget(conn: Connection, account_id: str) -> None:
    """Forget every consent of a closed account: as the learner or as the institution."""
    await conn.execute(
        "DELETE FROM webhook_consents WHERE learner_id = $1 OR institution_id = $1", account_id
    )
