"""SQL for approvals seen, conversions, the reasons a result was declined, and the
learners who closed their account."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from cbkit.db import (
    Connection,
    from_row,
    insert,
    lock,
    parse_uuids,
    to_row,
)
from services.conversion.domain import (
    Approval,
    Conversion,
    ConversionStatus,
    Declined,
    LearnerState,
    Retirement,
    Withheld,
)
from services.conversion.repository.rows import LearnerRows, all_per_uuid, one_per_uuid

CONVERSION_COLUMNS = (
    "id, outcome_id, learner_id, course_code, major_code, rule_id, rule_version, credits,"
    " status, converted_at, expires_on"
)
REFUSAL_COLUMNS = "id, outcome_id, learner_id, course_code, rule_id, rule_version, code, params, at"
CONVERSIONS = LearnerRows(
    "conversions",
    CONVERSION_COLUMNS,
    Conversion,
    ("converted_at", "id"),
    key=lambda c: (c.converted_at, uuid.UUID(c.id)),
)
"""Conversions; a learner's page newest first (filtered by `status`, if given)."""
BY_DAY = "converted_at, course_code"
REFUSALS = LearnerRows("conversion_refusals", REFUSAL_COLUMNS, Declined, ("at", "id"))
"""Refusals; a learner's page across results newest first."""


async def lock_learner(conn: Connection, learner_id: str) -> None:
    """Serialise work on one learner across replicas until the transaction ends."""
    await lock(conn, f"conversion-learner:{learner_id}")


async def insert_approval(conn: Connection, approval: Approval) -> bool:
    """Record the approval; False when this outcome was approved before."""
    statement, args = insert("approvals", to_row(approval))
    inserted = await conn.fetchval(
        f"{statement} ON CONFLICT (outcome_id) DO NOTHING RETURNING true", *args
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
        state.add(r["course_code"], r["major_code"], r["cap_year"], r["credits"])
    return state


async def credited_courses(conn: Connection, learner_id: str) -> dict[str, Decimal]:
    rows = await conn.fetch(
        "SELECT course_code, credits FROM conversions WHERE learner_id = $1"
        " AND status <> 'REVOKED'",
        uuid.UUID(learner_id),
    )
    return {r["course_code"]: r["credits"] for r in rows}


async def insert_conversion(conn: Connection, conversion: Conversion, cap_year: int) -> None:
    statement, args = insert("conversions", to_row(conversion, cap_year=cap_year))
    await conn.execute(statement, *args)


async def insert_refusal(
    conn: Connection, outcome_id: str, learner_id: str, withheld: Withheld, at: datetime
) -> None:
    """Keep why the outcome gave nothing (or less) for a course, or for any."""
    await conn.execute(
        "INSERT INTO conversion_refusals"
        " (outcome_id, learner_id, course_code, rule_id, rule_version, code, params, at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        uuid.UUID(outcome_id),
        uuid.UUID(learner_id),
        withheld.course_code,
        uuid.UUID(withheld.rule_id) if withheld.rule_id else None,
        withheld.rule_version,
        withheld.code.value,
        withheld.params,
        at,
    )


async def retirements(
    conn: Connection, credential_code: str | None, kind: str, on: date
) -> list[Retirement]:
    """What, retired by day `on`, keeps an outcome from the rules it would reach: its
    credential type, and each rule (or its course) by its newest version's terms."""
    rows = await conn.fetch(
        "SELECT 'credential' AS what, code, retired_from, NULL AS course_code,"
        " NULL AS rule_id, NULL::integer AS rule_version"
        " FROM credential_types WHERE code = $1 AND retired_from <= $3"
        " UNION ALL SELECT CASE WHEN r.retired_from <= $3 THEN 'rule' ELSE 'course' END,"
        " CASE WHEN r.retired_from <= $3 THEN r.id::text ELSE c.code END,"
        " CASE WHEN r.retired_from <= $3 THEN r.retired_from ELSE c.retired_from END,"
        " c.code, r.id::text, r.version"
        " FROM conversion_rules r JOIN courses c ON c.code = r.course_code"
        " WHERE (r.credential_code = $1 OR (r.credential_code IS NULL AND r.outcome_kind = $2))"
        " AND (r.retired_from <= $3 OR c.retired_from <= $3)",
        credential_code,
        kind,
        on,
    )
    return [from_row(Retirement, r) for r in rows]


APPROVAL_COLUMNS = (
    "case_id, outcome_id, learner_id, kind, credential_code, hours, achieved_on, decided_at"
)


async def approvals_of_learner(conn: Connection, learner_id: str) -> list[Approval]:
    """The learner's certified outcomes, in the order they were decided."""
    rows = await conn.fetch(
        f"SELECT {APPROVAL_COLUMNS} FROM approvals WHERE learner_id = $1"
        " ORDER BY decided_at, outcome_id",
        uuid.UUID(learner_id),
    )
    return [from_row(Approval, r) for r in rows]


async def revoked_among(conn: Connection, conversion_ids: list[str]) -> list[str]:
    """The conversions among `conversion_ids` that are revoked."""
    rows = await conn.fetch(
        "SELECT id FROM conversions WHERE id = ANY($1::uuid[]) AND status = 'REVOKED'",
        parse_uuids(conversion_ids),
    )
    return [str(r["id"]) for r in rows]


async def conversions_by_id(conn: Connection, ids: list[str]) -> list[Conversion | None]:
    return await one_per_uuid(conn, CONVERSIONS, "id", ids)


async def conversions_by_outcome(conn: Connection, ids: list[str]) -> list[list[Conversion]]:
    return await all_per_uuid(conn, CONVERSIONS, "outcome_id", ids, BY_DAY)


async def conversions_by_learner(conn: Connection, ids: list[str]) -> list[list[Conversion]]:
    """Each learner's conversions, oldest first."""
    return await all_per_uuid(conn, CONVERSIONS, "learner_id", ids, BY_DAY)


async def declined_by_outcome(conn: Connection, ids: list[str]) -> list[list[Declined]]:
    return await all_per_uuid(conn, REFUSALS, "outcome_id", ids, "id")


async def refusals_of_learner(conn: Connection, learner_id: str) -> list[Declined]:
    rows = await conn.fetch(
        f"SELECT {REFUSAL_COLUMNS} FROM conversion_refusals WHERE learner_id = $1 ORDER BY at, id",
        uuid.UUID(learner_id),
    )
    return [from_row(Declined, r) for r in rows]


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
    return from_row(Conversion, row) if row else None


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
    return from_row(Conversion, row) if row else None


async def reactivate(conn: Connection, conversion_id: str) -> Conversion | None:
    """A redeemed conversion whose redemption was reversed is active again; any other
    keeps its status (a revoked or expired one stays so)."""
    ids = parse_uuids([conversion_id])
    if not ids:
        return None
    row = await conn.fetchrow(
        "UPDATE conversions SET status = 'ACTIVE' WHERE id = $1 AND status = 'REDEEMED'"
        f" RETURNING {CONVERSION_COLUMNS}",
        ids[0],
    )
    return from_row(Conversion, row) if row else None


async def close_learner(conn: Connection, learner_id: str, at: datetime) -> bool:
    """Record that the learner closed the account; False when known already."""
    inserted = await conn.fetchval(
        "INSERT INTO closed_learners (learner_id, closed_at) VALUES ($1, $2)"
        " ON CONFLICT (learner_id) DO NOTHING RETURNING true",
        uuid.UUID(learner_id),
        at,
    )
    return bool(inserted)


async def erase_personal_text(conn: Connection, learner_id: str) -> None:
    """Keep the learner's figures by id only: the free text written about the
    learner's credits (a revocation's reason) and any text a refusal quoted go."""
    learner = uuid.UUID(learner_id)
    await conn.execute(
        "UPDATE conversions SET revoke_reason = NULL WHERE learner_id = $1"
        " AND revoke_reason IS NOT NULL",
        learner,
    )
    await conn.execute(
        "UPDATE conversion_refusals SET params = params - 'text' - 'title'"
        " WHERE learner_id = $1 AND (params ? 'text' OR params ? 'title')",
        learner,
    )


async def closed_among(conn: Connection, learner_ids: list[str]) -> list[bool]:
    """Per learner id, whether the learner closed the account."""
    rows = await conn.fetch(
        "SELECT learner_id FROM closed_learners WHERE learner_id = ANY($1::uuid[])",
        parse_uuids(learner_ids),
    )
    closed = {str(r["learner_id"]) for r in rows}
    return [_uuid_text(i) in closed for i in learner_ids]


def _uuid_text(value: str) -> str:
    parsed = parse_uuids([value])
    return str(parsed[0]) if parsed else value
