"""SQL for the catalog: majors, courses, credential types, rules, programmes, caps."""

from __future__ import annotations

import uuid
from decimal import Decimal

import asyncpg

from cbkit.db import Connection, parse_uuids
from services.conversion.domain import (
    DEFAULT_ANNUAL_CAP,
    Course,
    CredentialType,
    Major,
    Program,
    Rule,
)

RULE_COLUMNS = (
    "id, credential_code, outcome_kind, min_hours, course_code, credits, valid_from,"
    " valid_until, credit_validity_years, allow_partial"
)


def _major(r: asyncpg.Record) -> Major:
    return Major(r["code"], r["name"], r["credential_credit_cap"])


def _course(r: asyncpg.Record) -> Course:
    return Course(r["code"], r["name"], r["credits"], r["major_code"])


def _rule(r: asyncpg.Record) -> Rule:
    return Rule(
        id=str(r["id"]),
        credential_code=r["credential_code"],
        outcome_kind=r["outcome_kind"],
        min_hours=r["min_hours"],
        course_code=r["course_code"],
        credits=r["credits"],
        valid_from=r["valid_from"],
        valid_until=r["valid_until"],
        credit_validity_years=r["credit_validity_years"],
        allow_partial=r["allow_partial"],
    )


def _program(r: asyncpg.Record) -> Program:
    return Program(r["code"], r["name"], tuple(r["courses"] or ()), r["min_credits"])


async def upsert_major(conn: Connection, major: Major) -> Major:
    row = await conn.fetchrow(
        "INSERT INTO majors (code, name, credential_credit_cap) VALUES ($1, $2, $3)"
        " ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name,"
        " credential_credit_cap = EXCLUDED.credential_credit_cap"
        " RETURNING code, name, credential_credit_cap",
        major.code,
        major.name,
        major.credential_credit_cap,
    )
    assert row is not None
    return _major(row)


async def all_majors(conn: Connection) -> list[Major]:
    rows = await conn.fetch("SELECT code, name, credential_credit_cap FROM majors ORDER BY code")
    return [_major(r) for r in rows]


async def majors_by_code(conn: Connection, codes: list[str]) -> list[Major | None]:
    rows = await conn.fetch(
        "SELECT code, name, credential_credit_cap FROM majors WHERE code = ANY($1)", codes
    )
    found = {r["code"]: _major(r) for r in rows}
    return [found.get(c) for c in codes]


async def upsert_course(conn: Connection, course: Course) -> Course:
    row = await conn.fetchrow(
        "INSERT INTO courses (code, name, credits, major_code) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, credits = EXCLUDED.credits,"
        " major_code = EXCLUDED.major_code RETURNING code, name, credits, major_code",
        course.code,
        course.name,
        course.credits,
        course.major_code,
    )
    assert row is not None
    return _course(row)


async def courses_by_code(conn: Connection, codes: list[str]) -> list[Course | None]:
    rows = await conn.fetch(
        "SELECT code, name, credits, major_code FROM courses WHERE code = ANY($1)", codes
    )
    found = {r["code"]: _course(r) for r in rows}
    return [found.get(c) for c in codes]


async def courses_by_major(conn: Connection, majors: list[str]) -> list[list[Course]]:
    rows = await conn.fetch(
        "SELECT code, name, credits, major_code FROM courses WHERE major_code = ANY($1)"
        " ORDER BY code",
        majors,
    )
    found: dict[str, list[Course]] = {m: [] for m in majors}
    for r in rows:
        found[r["major_code"]].append(_course(r))
    return [found[m] for m in majors]


async def upsert_credential_type(conn: Connection, credential: CredentialType) -> CredentialType:
    row = await conn.fetchrow(
        "INSERT INTO credential_types (code, name, authority) VALUES ($1, $2, $3)"
        " ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, authority = EXCLUDED.authority"
        " RETURNING code, name, authority",
        credential.code,
        credential.name,
        credential.authority,
    )
    assert row is not None
    return CredentialType(row["code"], row["name"], row["authority"])


async def all_credential_types(conn: Connection) -> list[CredentialType]:
    rows = await conn.fetch("SELECT code, name, authority FROM credential_types ORDER BY code")
    return [CredentialType(r["code"], r["name"], r["authority"]) for r in rows]


async def credential_type_exists(conn: Connection, code: str) -> bool:
    return bool(await conn.fetchval("SELECT true FROM credential_types WHERE code = $1", code))


async def rule_exists(conn: Connection, rule_id: str) -> bool:
    return bool(await conn.fetchval("SELECT true FROM conversion_rules WHERE id = $1", rule_id))


async def upsert_rule(conn: Connection, rule: Rule) -> Rule:
    row = await conn.fetchrow(
        f"INSERT INTO conversion_rules ({RULE_COLUMNS})"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        " ON CONFLICT (id) DO UPDATE SET credential_code = EXCLUDED.credential_code,"
        " outcome_kind = EXCLUDED.outcome_kind, min_hours = EXCLUDED.min_hours,"
        " course_code = EXCLUDED.course_code, credits = EXCLUDED.credits,"
        " valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until,"
        " credit_validity_years = EXCLUDED.credit_validity_years,"
        f" allow_partial = EXCLUDED.allow_partial RETURNING {RULE_COLUMNS}",
        uuid.UUID(rule.id),
        rule.credential_code,
        rule.outcome_kind,
        rule.min_hours,
        rule.course_code,
        rule.credits,
        rule.valid_from,
        rule.valid_until,
        rule.credit_validity_years,
        rule.allow_partial,
    )
    assert row is not None
    return _rule(row)


async def find_rules(
    conn: Connection, credential_code: str | None, major_code: str | None
) -> list[Rule]:
    rows = await conn.fetch(
        f"SELECT {', '.join('r.' + c.strip() for c in RULE_COLUMNS.split(','))}"
        " FROM conversion_rules r JOIN courses c ON c.code = r.course_code"
        " WHERE ($1::text IS NULL OR r.credential_code = $1)"
        " AND ($2::text IS NULL OR c.major_code = $2)"
        " ORDER BY r.credential_code NULLS LAST, r.outcome_kind, r.course_code, r.valid_from",
        credential_code,
        major_code,
    )
    return [_rule(r) for r in rows]


async def rules_by_id(conn: Connection, ids: list[str]) -> list[Rule | None]:
    rows = await conn.fetch(
        f"SELECT {RULE_COLUMNS} FROM conversion_rules WHERE id = ANY($1::uuid[])",
        parse_uuids(ids),
    )
    found = {str(r["id"]): _rule(r) for r in rows}
    return [found.get(i) for i in ids]


async def rules_for(conn: Connection, credential_code: str | None, kind: str) -> list[Rule]:
    """Rules an outcome can reach: by its verified credential, or by its kind alone."""
    rows = await conn.fetch(
        f"SELECT {RULE_COLUMNS} FROM conversion_rules WHERE credential_code = $1"
        f" UNION ALL SELECT {RULE_COLUMNS} FROM conversion_rules"
        " WHERE credential_code IS NULL AND outcome_kind = $2",
        credential_code,
        kind,
    )
    return [_rule(r) for r in rows]


PROGRAM_SELECT = (
    "SELECT p.code, p.name, p.min_credits,"
    " array(SELECT course_code FROM program_courses pc WHERE pc.program_code = p.code"
    " ORDER BY position) AS courses FROM certificate_programs p"
)


async def upsert_program(conn: Connection, program: Program) -> Program:
    await conn.execute(
        "INSERT INTO certificate_programs (code, name, min_credits) VALUES ($1, $2, $3)"
        " ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name,"
        " min_credits = EXCLUDED.min_credits",
        program.code,
        program.name,
        program.min_credits,
    )
    await conn.execute("DELETE FROM program_courses WHERE program_code = $1", program.code)
    await conn.executemany(
        "INSERT INTO program_courses (program_code, course_code, position) VALUES ($1, $2, $3)",
        [(program.code, c, i) for i, c in enumerate(program.required_course_codes)],
    )
    found = await programs_by_code(conn, [program.code])
    assert found[0] is not None
    return found[0]


async def all_programs(conn: Connection) -> list[Program]:
    return [_program(r) for r in await conn.fetch(f"{PROGRAM_SELECT} ORDER BY p.code")]


async def programs_by_code(conn: Connection, codes: list[str]) -> list[Program | None]:
    rows = await conn.fetch(f"{PROGRAM_SELECT} WHERE p.code = ANY($1)", codes)
    found = {r["code"]: _program(r) for r in rows}
    return [found.get(c) for c in codes]


async def programs_requiring(conn: Connection, course_codes: list[str]) -> list[Program]:
    rows = await conn.fetch(
        f"{PROGRAM_SELECT} WHERE p.code IN"
        " (SELECT program_code FROM program_courses WHERE course_code = ANY($1))",
        course_codes,
    )
    return [_program(r) for r in rows]


async def annual_cap(conn: Connection) -> Decimal:
    value = await conn.fetchval("SELECT annual_credits FROM conversion_caps")
    return value if value is not None else DEFAULT_ANNUAL_CAP


async def set_annual_cap(conn: Connection, credits: Decimal) -> Decimal:
    value: Decimal = await conn.fetchval(
        "UPDATE conversion_caps SET annual_credits = $1 RETURNING annual_credits", credits
    )
    return value


async def major_caps(conn: Connection, majors: list[str]) -> dict[str, Decimal | None]:
    rows = await conn.fetch(
        "SELECT code, credential_credit_cap FROM majors WHERE code = ANY($1)", majors
    )
    return {r["code"]: r["credential_credit_cap"] for r in rows}
