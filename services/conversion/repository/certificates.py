"""SQL for the programme certificates awarded to learners."""

from __future__ import annotations

import uuid
from datetime import datetime

from cbkit.db import Connection, from_row
from services.conversion.domain import Award
from services.conversion.repository.rows import LearnerRows, all_per_uuid

AWARD_COLUMNS = "serial, program_code, learner_id, awarded_at, flagged_at, flag_reason"
AWARDS = LearnerRows("awarded_certificates", AWARD_COLUMNS, Award, ("awarded_at", "serial"))
"""Certificates awarded; a learner's page newest first."""


async def award(conn: Connection, program_code: str, learner_id: str, at: datetime) -> Award | None:
    """Award the programme unless the learner holds it; the serial comes from a sequence."""
    row = await conn.fetchrow(
        "INSERT INTO awarded_certificates (serial, program_code, learner_id, awarded_at)"
        " VALUES ('CB-' || to_char($3::timestamptz AT TIME ZONE 'UTC', 'YYYY') || '-'"
        " || lpad(nextval('certificate_serials')::text, 8, '0'), $1, $2, $3)"
        f" ON CONFLICT (learner_id, program_code) DO NOTHING RETURNING {AWARD_COLUMNS}",
        program_code,
        uuid.UUID(learner_id),
        at,
    )
    return from_row(Award, row) if row else None


async def awards_of_learner(conn: Connection, learner_id: str) -> list[Award]:
    [awards] = await awards_by_learner(conn, [learner_id])
    return awards


async def awards_by_learner(conn: Connection, ids: list[str]) -> list[list[Award]]:
    return await all_per_uuid(conn, AWARDS, "learner_id", ids, "awarded_at, serial")


async def award_by_serial(conn: Connection, serial: str) -> Award | None:
    row = await conn.fetchrow(
        f"SELECT {AWARD_COLUMNS} FROM awarded_certificates WHERE serial = $1", serial
    )
    return from_row(Award, row) if row else None


async def flag(conn: Connection, serial: str, reason: str, at: datetime) -> bool:
    """Flag a certificate; False when it was flagged before."""
    flagged = await conn.fetchval(
        "UPDATE awarded_certificates SET flagged_at = $2, flag_reason = $3"
        " WHERE serial = $1 AND flagged_at IS NULL RETURNING true",
        serial,
        at,
        reason,
    )
    return bool(flagged)


async def flagged_among(conn: Connection, serials: list[str]) -> list[str]:
    """The certificates among `serials` that are flagged."""
    rows = await conn.fetch(
        "SELECT serial FROM awarded_certificates WHERE serial = ANY($1::text[])"
        " AND flagged_at IS NOT NULL",
        serials,
    )
    return [r["serial"] for r in rows]


async def erase_flag_reasons(conn: Connection, learner_id: str) -> None:
    """A closed account's certificates stay flagged, without the words of why (they
    quote a revocation's reason written about the learner)."""
    await conn.execute(
        "UPDATE awarded_certificates SET flag_reason = NULL"
        " WHERE learner_id = $1 AND flag_reason IS NOT NULL",
        uuid.UUID(learner_id),
    )
