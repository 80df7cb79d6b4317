"""SQL for conversion's copy of the learners' consents to institutions."""

from __future__ import annotations

import uuid
from datetime import datetime

from cbkit.db import Connection, parse_uuids
from services.conversion.domain import Consent

GRANT = "DO NOTHING"
# a revocation may overtake its grant: it is remembered, and the late grant changes nothing
REVOKE = "DO UPDATE SET revoked_at = EXCLUDED.revoked_at"


async def _insert(
    conn: Connection, consent: Consent, expires_at: datetime, revoked_at: datetime | None, on: str
) -> None:
    await conn.execute(
        "INSERT INTO consents (consent_id, learner_id, institution_id, expires_at, revoked_at)"
        f" VALUES ($1, $2, $3, $4, $5) ON CONFLICT (consent_id) {on}",
        uuid.UUID(consent.id),
        uuid.UUID(consent.learner_id),
        uuid.UUID(consent.institution_id),
        expires_at,
        revoked_at,
    )


async def grant(conn: Connection, consent: Consent, expires_at: datetime) -> None:
    await _insert(conn, consent, expires_at, None, GRANT)


async def revoke(conn: Connection, consent: Consent, revoked_at: datetime) -> None:
    await _insert(conn, consent, revoked_at, revoked_at, REVOKE)


async def consented_learners(
    conn: Connection, institution_ids: list[str], at: datetime
) -> list[set[str]]:
    """Per institution, the learners whose consent to it is active at `at`."""
    rows = await conn.fetch(
        "SELECT DISTINCT institution_id, learner_id FROM consents"
        " WHERE institution_id = ANY($1::uuid[]) AND revoked_at IS NULL AND expires_at > $2",
        parse_uuids(institution_ids),
        at,
    )
    found: dict[str, set[str]] = {}
    for r in rows:
        found.setdefault(str(r["institution_id"]), set()).add(str(r["learner_id"]))
    return [found.get(i, set()) for i in institution_ids]
