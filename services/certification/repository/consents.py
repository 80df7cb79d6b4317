"""SQL for certification's copy of the learners' consents to institutions."""

from __future__ import annotations

from operator import attrgetter

from cbkit.db import Connection, all_per_key, fetch_one, from_row, insert, parse_uuids, to_row
from services.certification.domain import Consent

COLUMNS = "id, learner_id, institution_id, granted_at, expires_at, revoked_at"


async def consent_by_id(conn: Connection, consent_id: str) -> Consent | None:
    return await fetch_one(
        conn, Consent, f"SELECT {COLUMNS} FROM consents WHERE id = $1", consent_id
    )


async def save(conn: Connection, consent: Consent) -> None:
    statement, args = insert("consents", to_row(consent))
    await conn.execute(
        f"{statement} ON CONFLICT (id) DO UPDATE SET granted_at = EXCLUDED.granted_at,"
        " expires_at = EXCLUDED.expires_at, revoked_at = EXCLUDED.revoked_at",
        *args,
    )


async def consents_to(
    conn: Connection, institution_id: str, learner_ids: list[str]
) -> list[list[Consent]]:
    """Per learner, their consents to the institution, active or not."""
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM consents WHERE institution_id = $1"
        " AND learner_id = ANY($2::uuid[])",
        institution_id,
        parse_uuids(learner_ids),
    )
    return all_per_key(
        learner_ids, [from_row(Consent, row) for row in rows], attrgetter("learner_id")
    )


async def forget_learner(conn: Connection, learner_id: str) -> int:
    """Remove the copies of the learner's consents."""
    done = await conn.execute("DELETE FROM consents WHERE learner_id = $1", learner_id)
    return int(done.split()[-1])


async def forget_institution(conn: Connection, institution_id: str) -> int:
    """Remove the copies of the consents given to an institution."""
    done = await conn.execute("DELETE FROM consents WHERE institution_id = $1", institution_id)
    return int(done.split()[-1])


async def of_learner(conn: Connection, learner_id: str) -> list[Consent]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM consents WHERE learner_id = $1 ORDER BY granted_at, id",
        learner_id,
    )
    return [from_row(Consent, row) for row in rows]
