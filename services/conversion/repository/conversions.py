"""SQL for approvals seen, conversions, refusals, awarded certificates and consents."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

import asyncpg

from cbkit.db import Connection, parse_uuids
from services.conversion.domain import (
    Approval,
    Award,
    Conversion,
    ConversionStatus,
    LearnerState,
    Refusal,
)

CONVERSION_COLUMNS = (
    "id, outcome_id, learner_id, course_code, major_code, rule_id, credits, status,"
    " converted_at, expires_on"
)
AWARD_COLUMNS = "serial, program_code, learner_id, awarded_at, flagged_at, flag_reason"


def _conversion(r: asyncpg.Record) -> Conversion:
    return Conversion(
        id=str(r["id"]),
        outcome_id=str(r["outcome_id"]),
        learner_id=str(r["learner_id"]),
        course_code=r["course_code"],
        major_code=r["major_code"],
        rule_id=str(r["rule_id"]),
        credits=r["credits"],
        status=ConversionStatus(r["status"]),
        converted_at=r["converted_at"],
        expires_on=r["expires_on"],
    )


def _award(r: asyncpg.Record) -> Award:
    return Award(
        serial=r["serial"],
        program_code=r["program_code"],
        learner_id=str(r["learner_id"]),
        awarded_at=r["awarded_at"],
        flagged_at=r["flagged_at"],
        flag_reason=r["flag_reason"],
    )


async def lock_learner(conn: Connection, learner_id: str) -> None:
    """Serialise work on one learner across replicas until the transaction ends."""
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended('conversion-learner:' || $1, 0))",
        learner_id,
    )


async def insert_approval(conn: Connection, approval: Approval) -> bool:
    """Record the approval; False when this outcome was approved before."""
    inserted = await conn.fetchval(
        "INSERT INTO approvals (outcome_id, case_id, learner_id, kind, credential_code, hours,"
        " achieved_on, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (outcome_id) DO NOTHING RETURNING true",
        uuid.UUID(approval.outcome_id),
        uuid.UUID(approval.case_id),
        uuid.UUID(approval.learner_id),
        approval.kind,
        approval.credential_code,
        approval.hours,
        approval.achieved_on,
        approval.decided_at,
    )
    return bool(inserted)


async def learner_state(conn: Connection, learner_id: str) -> LearnerState:
    rows = await conn.fetch(
        "SELECT course_code, major_code, cap_year, credits FROM conversions"
        " WHERE learner_id = $1 AND status <> 'REVOKED'",
        uuid.UUID(learner_id),
    )
    state = LearnerState()
    for r in rows:
        state.credited_courses.add(r["course_code"])
        year, major = r["cap_year"], r["major_code"]
        state.credits_by_year[year] = state.credits_by_year.get(year, Decimal(0)) + r["credits"]
        state.credits_by_major[major] = state.credits_by_major.get(major, Decimal(0)) + r["credits"]
    return state


async def credited_courses(conn: Connection, learner_id: str) -> dict[str, Decimal]:
    rows = await conn.fetch(
        "SELECT course_code, credits FROM conversions WHERE learner_id = $1"
        " AND status <> 'REVOKED'",
        uuid.UUID(learner_id),
    )
    return {r["course_code"]: r["credits"] for r in rows}


async def insert_conversion(conn: Connection, conversion: Conversion, cap_year: int) -> None:
    await conn.execute(
        f"INSERT INTO conversions ({CONVERSION_COLUMNS}, cap_year)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        uuid.UUID(conversion.id),
        uuid.UUID(conversion.outcome_id),
        uuid.UUID(conversion.learner_id),
        conversion.course_code,
        conversion.major_code,
        uuid.UUID(conversion.rule_id),
        conversion.credits,
        conversion.status.value,
        conversion.converted_at,
        conversion.expires_on,
        cap_year,
    )


async def insert_refusal(conn: Connection, refusal: Refusal, rule_id: str | None) -> None:
    await conn.execute(
        "INSERT INTO conversion_refusals (outcome_id, learner_id, course_code, rule_id, reason, at)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        uuid.UUID(refusal.outcome_id),
        uuid.UUID(refusal.learner_id),
        refusal.course_code,
        uuid.UUID(rule_id) if rule_id else None,
        refusal.reason,
        refusal.at,
    )


async def conversions_by_id(conn: Connection, ids: list[str]) -> list[Conversion | None]:
    rows = await conn.fetch(
        f"SELECT {CONVERSION_COLUMNS} FROM conversions WHERE id = ANY($1::uuid[])",
        parse_uuids(ids),
    )
    found = {str(r["id"]): _conversion(r) for r in rows}
    return [found.get(i) for i in ids]


async def _grouped(conn: Connection, column: str, ids: list[str]) -> list[list[Conversion]]:
    rows = await conn.fetch(
        f"SELECT {CONVERSION_COLUMNS} FROM conversions WHERE {column} = ANY($1::uuid[])"
        " ORDER BY converted_at, course_code",
        parse_uuids(ids),
    )
    found: dict[str, list[Conversion]] = {}
    for r in rows:
        found.setdefault(str(r[column]), []).append(_conversion(r))
    return [found.get(i, []) for i in ids]


async def conversions_by_outcome(conn: Connection, ids: list[str]) -> list[list[Conversion]]:
    return await _grouped(conn, "outcome_id", ids)


async def conversions_by_learner(conn: Connection, ids: list[str]) -> list[list[Conversion]]:
    return await _grouped(conn, "learner_id", ids)


async def refusals_by_outcome(conn: Connection, ids: list[str]) -> list[list[Refusal]]:
    rows = await conn.fetch(
        "SELECT outcome_id, learner_id, course_code, reason, at FROM conversion_refusals"
        " WHERE outcome_id = ANY($1::uuid[]) ORDER BY id",
        parse_uuids(ids),
    )
    found: dict[str, list[Refusal]] = {}
    for r in rows:
        refusal = Refusal(
            str(r["outcome_id"]), str(r["learner_id"]), r["course_code"], r["reason"], r["at"]
        )
        found.setdefault(refusal.outcome_id, []).append(refusal)
    return [found.get(i, []) for i in ids]


async def learners_of_outcomes(conn: Connection, ids: list[str]) -> list[str | None]:
    rows = await conn.fetch(
        "SELECT outcome_id, learner_id FROM approvals WHERE outcome_id = ANY($1::uuid[])",
        parse_uuids(ids),
    )
    found = {str(r["outcome_id"]): str(r["learner_id"]) for r in rows}
    return [found.get(i) for i in ids]


async def set_status(
    conn: Connection, conversion_id: str, status: ConversionStatus
) -> Conversion | None:
    """Move an active conversion on (redeemed or expired); others keep their status."""
    ids = parse_uuids([conversion_id])
    if not ids:
        return None
    row = await conn.fetchrow(
        f"UPDATE conversions SET status = $2 WHERE id = $1 AND status = 'ACTIVE'"
        f" RETURNING {CONVERSION_COLUMNS}",
        ids[0],
        status.value,
    )
    return _conversion(row) if row else None


async def revoke(
    conn: Connection, conversion_id: str, reason: str, at: datetime
) -> Conversion | None:
    row = await conn.fetchrow(
        "UPDATE conversions SET status = 'REVOKED', revoked_at = $2, revoke_reason = $3"
        f" WHERE id = $1 AND status <> 'REVOKED' RETURNING {CONVERSION_COLUMNS}",
        uuid.UUID(conversion_id),
        at,
        reason,
    )
    return _conversion(row) if row else None


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
    return _award(row) if row else None


async def awards_of_learner(conn: Connection, learner_id: str) -> list[Award]:
    rows = await conn.fetch(
        f"SELECT {AWARD_COLUMNS} FROM awarded_certificates WHERE learner_id = $1",
        uuid.UUID(learner_id),
    )
    return [_award(r) for r in rows]


async def awards_by_learner(conn: Connection, ids: list[str]) -> list[list[Award]]:
    rows = await conn.fetch(
        f"SELECT {AWARD_COLUMNS} FROM awarded_certificates WHERE learner_id = ANY($1::uuid[])"
        " ORDER BY awarded_at, serial",
        parse_uuids(ids),
    )
    found: dict[str, list[Award]] = {}
    for r in rows:
        found.setdefault(str(r["learner_id"]), []).append(_award(r))
    return [found.get(i, []) for i in ids]


async def flag(conn: Connection, serial: str, reason: str, at: datetime) -> None:
    await conn.execute(
        "UPDATE awarded_certificates SET flagged_at = $2, flag_reason = $3"
        " WHERE serial = $1 AND flagged_at IS NULL",
        serial,
        at,
        reason,
    )


async def upsert_consent(
    conn: Connection, consent_id: str, learner_id: str, institution_id: str, expires_at: datetime
) -> None:
    await conn.execute(
        "INSERT INTO consents (consent_id, learner_id, institution_id, expires_at)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (consent_id) DO NOTHING",
        uuid.UUID(consent_id),
        uuid.UUID(learner_id),
        uuid.UUID(institution_id),
        expires_at,
    )


async def revoke_consent(
    conn: Connection, consent_id: str, learner_id: str, institution_id: str, revoked_at: datetime
) -> None:
    """Revoke, or remember the revocation when it overtakes the grant."""
    await conn.execute(
        "INSERT INTO consents (consent_id, learner_id, institution_id, expires_at, revoked_at)"
        " VALUES ($1, $2, $3, $4, $4)"
        " ON CONFLICT (consent_id) DO UPDATE SET revoked_at = EXCLUDED.revoked_at",
        uuid.UUID(consent_id),
        uuid.UUID(learner_id),
        uuid.UUID(institution_id),
        revoked_at,
    )


async def consented_learners(conn: Connection, institution_id: str) -> set[str]:
    ids = parse_uuids([institution_id])
    if not ids:
        return set()
    rows = await conn.fetch(
        "SELECT DISTINCT learner_id FROM consents WHERE institution_id = $1"
        " AND revoked_at IS NULL AND expires_at > now()",
        ids[0],
    )
    return {str(r["learner_id"]) for r in rows}
