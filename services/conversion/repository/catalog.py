"""SQL for the catalog: majors, courses, credential types, rules, programmes, caps."""

from __future__ import annotations

from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, TypeVar

import asyncpg

from cbkit.db import Connection, all_per_key, from_row, insert, one_per_key, parse_uuids, to_row
from services.conversion.domain import (
    DEFAULT_ANNUAL_CAP,
    Course,
    CredentialType,
    Major,
    Program,
    Rule,
)

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

E = TypeVar("E", bound="DataclassInstance")

RULE_COLUMNS = (
    "id, credential_code, outcome_kind, min_hours, course_code, credits, valid_from,"
    " valid_until, credit_validity_years, allow_partial"
)


async def _upsert(conn: Connection, table: str, entry: E, key: str = "code") -> E:
    """Insert `entry` into `table` (its fields named as the columns), or update the row
    with the same `key`; the row as kept."""
    values = to_row(entry)
    statement, args = insert(table, values)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in values if c != key)
    row = await conn.fetchrow(
        f"{statement} ON CONFLICT ({key}) DO UPDATE SET {updates} RETURNING {', '.join(values)}",
        *args,
    )
    assert row is not None
    return from_row(type(entry), row)


def _program(r: asyncpg.Record) -> Program:
    return from_row(Program, r, required_course_codes=tuple(r["courses"] or ()))


async def upsert_major(conn: Connection, major: Major) -> Major:
    return await _upsert(conn, "majors", major)


async def all_majors(conn: Connection) -> list[Major]:
    rows = await conn.fetch("SELECT code, name, credential_credit_cap FROM majors ORDER BY code")
    return [from_row(Major, r) for r in rows]


async def majors_by_code(conn: Connection, codes: list[str]) -> list[Major | None]:
    rows = await conn.fetch(
        "SELECT code, name, credential_credit_cap FROM majors WHERE code = ANY($1)", codes
    )
    return one_per_key(codes, (from_row(Major, r) for r in rows), attrgetter("code"))


async def upsert_course(conn: Connection, course: Course) -> Course:
    return await _upsert(conn, "courses", course)


async def courses_by_code(conn: Connection, codes: list[str]) -> list[Course | None]:
    rows = await conn.fetch(
        "SELECT code, name, credits, major_code FROM courses WHERE code = ANY($1)", codes
    )
    return one_per_key(codes, (from_row(Course, r) for r in rows), attrgetter("code"))


async def courses_by_major(conn: Connection, majors: list[str]) -> list[list[Course]]:
    rows = await conn.fetch(
        "SELECT code, name, credits, major_code FROM courses WHERE major_code = ANY($1)"
        " ORDER BY code",
        majors,
    )
    return all_per_key(majors, (from_row(Course, r) for r in rows), attrgetter("major_code"))


async def upsert_credential_type(conn: Connection, credential: CredentialType) -> CredentialType:
    return await _upsert(conn, "credential_types", credential)


async def all_credential_types(conn: Connection) -> list[CredentialType]:
    rows = await conn.fetch("SELECT code, name, authority FROM credential_types ORDER BY code")
    return [from_row(CredentialType, r) for r in rows]


async def credential_type_exists(conn: Connection, code: str) -> bool:
    return bool(await conn.fetchval("SELECT true FROM credential_types WHERE code = $1", code))


async def rule_exists(conn: Connection, rule_id: str) -> bool:
    return bool(await conn.fetchval("SELECT true FROM conversion_rules WHERE id = $1", rule_id))


async def upsert_rule(conn: Connection, rule: Rule) -> Rule:
    return await _upsert(conn, "conversion_rules", rule, key="id")


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
    return [from_row(Rule, r) for r in rows]


async def rules_by_id(conn: Connection, ids: list[str]) -> list[Rule | None]:
    rows = await conn.fetch(
        f"SELECT {RULE_COLUMNS} FROM conversion_rules WHERE id = ANY($1::uuid[])",
        parse_uuids(ids),
    )
    return one_per_key(ids, (from_row(Rule, r) for r in rows), attrgetter("id"))


async def rules_for(conn: Connection, credential_code: str | None, kind: str) -> list[Rule]:
    """Rules an outcome can reach: by its verified credential, or by its kind alone."""
    rows = await conn.fetch(
        f"SELECT {RULE_COLUMNS} FROM conversion_rules WHERE credential_code = $1"
        f" UNION ALL SELECT {RULE_COLUMNS} FROM conversion_rules"
        " WHERE credential_code IS NULL AND outcome_kind = $2",
        credential_code,
        kind,
    )
    return [from_row(Rule, r) for r in rows]


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
    return one_per_key(codes, (_program(r) for r in rows), attrgetter("code"))


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
