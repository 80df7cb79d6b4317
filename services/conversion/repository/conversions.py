"""SQL for approvals seen, conversions and the reasons a course was declined."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from operator import attrgetter

from cbkit.db import (
    Connection,
    all_per_key,
    from_row,
    insert,
    lock,
    one_per_key,
    parse_uuids,
    to_row,
)
from services.conversion.domain import (
    Approval,
    Conversion,
    ConversionStatus,
    Declined,
    LearnerState,
)

CONVERSION_COLUMNS = (
    "id, outcome_id, learner_id, course_code, major_code, rule_id, credits, status,"
    " converted_at, expires_on"
)


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


async def insert_declined(conn: Connection, declined: Declined, rule_id: str | None) -> None:
    statement, args = insert("conversion_refusals", to_row(declined, rule_id=rule_id))
    await conn.execute(statement, *args)


async def conversions_by_id(conn: Connection, ids: list[str]) -> list[Conversion | None]:
    rows = await conn.fetch(
        f"SELECT {CONVERSION_COLUMNS} FROM conversions WHERE id = ANY($1::uuid[])",
        parse_uuids(ids),
    )
    return one_per_key(ids, (from_row(Conversion, r) for r in rows), lambda c: c.id)


async def _grouped(conn: Connection, column: str, ids: list[str]) -> list[list[Conversion]]:
    rows = await conn.fetch(
        f"SELECT {CONVERSION_COLUMNS} FROM conversions WHERE {column} = ANY($1::uuid[])"
        " ORDER BY converted_at, course_code",
        parse_uuids(ids),
    )
    return all_per_key(ids, (from_row(Conversion, r) for r in rows), attrgetter(column))


async def conversions_by_outcome(conn: Connection, ids: list[str]) -> list[list[Conversion]]:
    return await _grouped(conn, "outcome_id", ids)


async def conversions_by_learner(conn: Connection, ids: list[str]) -> list[list[Conversion]]:
    return await _grouped(conn, "learner_id", ids)


async def declined_by_outcome(conn: Connection, ids: list[str]) -> list[list[Declined]]:
    rows = await conn.fetch(
        "SELECT outcome_id, learner_id, course_code, reason, at FROM conversion_refusals"
        " WHERE outcome_id = ANY($1::uuid[]) ORDER BY id",
        parse_uuids(ids),
    )
    return all_per_key(ids, (from_row(Declined, r) for r in rows), lambda d: d.outcome_id)


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
