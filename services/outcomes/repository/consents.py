"""SQL for our copy of consents (from accounts' consent events)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cbkit.db import Connection, arguments, from_row, parse_uuids
from services.outcomes.domain import ConsentCopy, ConsentParties

PARTIES = "consent_id, learner_id, institution_id"


async def granted(
    conn: Connection, parties: ConsentParties, granted_at: datetime, expires_at: datetime
) -> None:
    """Record a grant; an older grant than the one kept changes nothing."""
    await conn.execute(
        f"INSERT INTO consents ({PARTIES}, granted_at, expires_at) VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (consent_id) DO UPDATE"
        " SET granted_at = EXCLUDED.granted_at, expires_at = EXCLUDED.expires_at"
        " WHERE consents.granted_at IS NULL OR consents.granted_at <= EXCLUDED.granted_at",
        *arguments(parties, PARTIES),
        granted_at,
        expires_at,
    )


async def revoked(conn: Connection, parties: ConsentParties, revoked_at: datetime) -> None:
    """Record a revocation; the latest one heard is kept."""
    await conn.execute(
        f"INSERT INTO consents ({PARTIES}, revoked_at) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (consent_id) DO UPDATE"
        " SET revoked_at = GREATEST(consents.revoked_at, EXCLUDED.revoked_at)",
        *arguments(parties, PARTIES),
        revoked_at,
    )


async def consents_to(
    conn: Connection, institution_id: str, learner_ids: Sequence[str]
) -> list[ConsentCopy]:
    """Our copies of the consents `learner_ids` gave `institution_id`, in any state."""
    institution = parse_uuids([institution_id])
    if not institution:
        return []
    rows = await conn.fetch(
        "SELECT learner_id, granted_at, expires_at, revoked_at FROM consents"
        " WHERE institution_id = $1 AND learner_id = ANY($2::uuid[])",
        institution[0],
        parse_uuids(learner_ids),
    )
    return [from_row(ConsentCopy, r) for r in rows]
