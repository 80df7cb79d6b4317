"""SQL for conversion's copy of the learners' consents to institutions. Grants and
revocations may arrive in any order: each statement keeps the latest of its kind,
atomically, so two replicas handling a consent's events at once agree."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from cbkit.db import Connection, from_row
from services.conversion.domain import Consent, ConsentGrant, ConsentTerm

GRANT = (
    "INSERT INTO consents AS c"
    " (consent_id, learner_id, institution_id, granted_at, grant_sent_at, expires_at)"
    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (consent_id) DO UPDATE"
    " SET granted_at = EXCLUDED.granted_at, grant_sent_at = EXCLUDED.grant_sent_at,"
    " expires_at = EXCLUDED.expires_at"
    # only a later grant moves the expiry; a row made by an early revocation has none
    " WHERE c.granted_at IS NULL"
    " OR (EXCLUDED.granted_at, EXCLUDED.grant_sent_at) > (c.granted_at, c.grant_sent_at)"
)
REVOKE = (
    "INSERT INTO consents AS c (consent_id, learner_id, institution_id, revoked_at)"
    " VALUES ($1, $2, $3, $4) ON CONFLICT (consent_id) DO UPDATE"
    " SET revoked_at = greatest(c.revoked_at, EXCLUDED.revoked_at)"
)
Pair = tuple[str, str]
"""An institution's id and a learner's id."""


def _ids(consent: Consent) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    return uuid.UUID(consent.id), uuid.UUID(consent.learner_id), uuid.UUID(consent.institution_id)


async def grant(conn: Connection, grant: ConsentGrant) -> None:
    ids = _ids(grant.consent)
    await conn.execute(GRANT, *ids, grant.granted_at, grant.sent_at, grant.expires_at)


async def revoke(conn: Connection, consent: Consent, revoked_at: datetime) -> None:
    await conn.execute(REVOKE, *_ids(consent), revoked_at)


def _uuid_pairs(pairs: Sequence[Pair]) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """The pairs whose both ids are UUIDs (no other can match a row), as two columns."""
    institutions, learners = [], []
    for institution, learner in pairs:
        try:
            parsed = uuid.UUID(institution), uuid.UUID(learner)
        except ValueError:
            continue
        institutions.append(parsed[0])
        learners.append(parsed[1])
    return institutions, learners


async def terms_between(conn: Connection, pairs: Sequence[Pair]) -> list[list[ConsentTerm]]:
    """Per (institution, learner) pair, what is known of each consent between them."""
    rows = await conn.fetch(
        "SELECT institution_id, learner_id, granted_at, expires_at, revoked_at FROM consents"
        " WHERE (institution_id, learner_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))",
        *_uuid_pairs(pairs),
    )
    found: dict[Pair, list[ConsentTerm]] = {}
    for r in rows:
        pair = (str(r["institution_id"]), str(r["learner_id"]))
        found.setdefault(pair, []).append(from_row(ConsentTerm, r))
    return [found.get(pair, []) for pair in pairs]


async def remove_of_account(conn: Connection, account_id: str) -> None:
    """Forget every consent of a closed account: as the learner or as the institution."""
    account = uuid.UUID(account_id)
    await conn.execute("DELETE FROM consents WHERE learner_id = $1 OR institution_id = $1", account)
