"""SQL for the catalog: majors, courses, credential types, rules, programmes, caps."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import asyncpg

from cbkit.db import (
    Connection,
    all_per_key,
    arguments,
    from_row,
    insert,
    one_per_key,
    parse_uuids,
    to_row,
)
from cbkit.paging import Page, PageRequest, keyset, order_by, page
from services.conversion.domain import (
    DEFAULT_ANNUAL_CAP,
    Course,
    CredentialType,
    Major,
    Program,
    Rule,
)
from services.conversion.domain.catalog import CatalogKind
from services.conversion.repository.rows import Rows, one_per_uuid

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

E = TypeVar("E", bound="DataclassInstance")
T = TypeVar("T")

RULE_COLUMNS = (
    "id, credential_code, outcome_kind, min_hours, course_code, credits, valid_from,"
    " valid_until, credit_validity_years, allow_partial, version, effective_from, retired_from"
)
TERM_COLUMNS = (
    "credential_code, outcome_kind, min_hours, course_code, credits, valid_from,"
    " valid_until, credit_validity_years, allow_partial"
)
RULES = Rows("conversion_rules", RULE_COLUMNS, Rule)
"""Rules as they are now (their newest versions)."""
VERSION_SELECT = (
    "SELECT v.rule_id AS id, v.version, v.effective_from, r.retired_from,"
    f" {', '.join('v.' + c.strip() for c in TERM_COLUMNS.split(','))}"
    " FROM conversion_rule_versions v JOIN conversion_rules r ON r.id = v.rule_id"
)
"""A rule's versions, each as a `Rule` (the rule's retirement with it)."""
IN_FORCE_SELECT = VERSION_SELECT.replace("SELECT ", "SELECT DISTINCT ON (v.rule_id) ", 1)
"""One version per rule: ORDER BY v.rule_id, v.version DESC for the newest of those kept."""


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


TEXT_COLUMNS = "name_zh, description_en, description_zh, retired_from"
MAJOR_COLUMNS = f"code, name, credential_credit_cap, {TEXT_COLUMNS}"
COURSE_COLUMNS = f"code, name, credits, major_code, {TEXT_COLUMNS}"
CREDENTIAL_COLUMNS = f"code, name, authority, {TEXT_COLUMNS}"


async def all_majors(conn: Connection) -> list[Major]:
    rows = await conn.fetch(f"SELECT {MAJOR_COLUMNS} FROM majors ORDER BY code")
    return [from_row(Major, r) for r in rows]


async def majors_by_code(conn: Connection, codes: list[str]) -> list[Major | None]:
    rows = await conn.fetch(f"SELECT {MAJOR_COLUMNS} FROM majors WHERE code = ANY($1)", codes)
    return one_per_key(codes, (from_row(Major, r) for r in rows), attrgetter("code"))


async def courses_by_code(conn: Connection, codes: list[str]) -> list[Course | None]:
    rows = await conn.fetch(f"SELECT {COURSE_COLUMNS} FROM courses WHERE code = ANY($1)", codes)
    return one_per_key(codes, (from_row(Course, r) for r in rows), attrgetter("code"))


async def courses_by_major(conn: Connection, majors: list[str]) -> list[list[Course]]:
    rows = await conn.fetch(
        f"SELECT {COURSE_COLUMNS} FROM courses WHERE major_code = ANY($1) ORDER BY code",
        majors,
    )
    return all_per_key(majors, (from_row(Course, r) for r in rows), attrgetter("major_code"))


async def all_credential_types(conn: Connection) -> list[CredentialType]:
    rows = await conn.fetch(f"SELECT {CREDENTIAL_COLUMNS} FROM credential_types ORDER BY code")
    return [from_row(CredentialType, r) for r in rows]


async def credential_types_by_code(
    conn: Connection, codes: list[str]
) -> list[CredentialType | None]:
    rows = await conn.fetch(
        f"SELECT {CREDENTIAL_COLUMNS} FROM credential_types WHERE code = ANY($1)", codes
    )
    return one_per_key(codes, (from_row(CredentialType, r) for r in rows), attrgetter("code"))


async def credential_type_exists(conn: Connection, code: str) -> bool:
    return bool(await conn.fetchval("SELECT true FROM credential_types WHERE code = $1", code))


async def rule_exists(conn: Connection, rule_id: str) -> bool:
    return bool(await conn.fetchval("SELECT true FROM conversion_rules WHERE id = $1", rule_id))


async def rule_for_update(conn: Connection, rule_id: str) -> Rule | None:
    """The rule's newest version, locked until the transaction ends (edits of one rule
    queue up, each making the next version)."""
    rule = await entry_for_update(conn, CatalogKind.RULE, rule_id)
    assert rule is None or isinstance(rule, Rule)
    return rule


async def save_rule_version(conn: Connection, rule: Rule, by: str | None, at: datetime) -> Rule:
    """Keep `rule` as its rule's newest version (version 1 creates the rule)."""
    await _upsert(conn, "conversion_rules", rule, key="id")
    columns = f"rule_id, version, effective_from, {TERM_COLUMNS}, changed_by, changed_at"
    values = arguments(rule, columns, rule_id=rule.id, changed_by=by, changed_at=at)
    row = dict(zip(_names(columns), values, strict=True))
    statement, args = insert("conversion_rule_versions", row)
    await conn.execute(statement, *args)
    return rule


def _names(columns: str) -> list[str]:
    return [c.strip() for c in columns.split(",")]


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
    return await one_per_uuid(conn, RULES, "id", ids)


async def rules_for(
    conn: Connection, credential_code: str | None, kind: str | None, on: date
) -> list[Rule]:
    """Rules an outcome decided on day `on` can reach, by its verified credential or by
    its kind alone: of each rule, the version in force that day (the latest whose
    effective_from is on or before it). Rules, credential types and courses retired
    by then reach nothing."""
    rows = await conn.fetch(
        "SELECT * FROM ("
        f" {IN_FORCE_SELECT} WHERE v.effective_from <= $3"
        " AND (r.retired_from IS NULL OR r.retired_from > $3)"
        " AND v.rule_id IN (SELECT rule_id FROM conversion_rule_versions"
        " WHERE credential_code = $1 OR (credential_code IS NULL AND outcome_kind = $2))"
        " ORDER BY v.rule_id, v.version DESC"
        ") AS in_force"
        " WHERE (credential_code = $1 OR (credential_code IS NULL AND outcome_kind = $2))"
        " AND NOT EXISTS (SELECT 1 FROM credential_types t WHERE t.code = credential_code"
        " AND t.retired_from <= $3)"
        " AND NOT EXISTS (SELECT 1 FROM courses c WHERE c.code = course_code"
        " AND c.retired_from <= $3)"
        " ORDER BY id",
        credential_code,
        kind,
        on,
    )
    return [from_row(Rule, r) for r in rows]


async def rule_versions(conn: Connection, keys: list[tuple[str, int]]) -> list[Rule | None]:
    """The versions named by (rule id, version), in the keys' order; None where none."""
    wanted = [(_uuid(rule_id), version) for rule_id, version in keys]
    known = [(rule_id, version) for rule_id, version in wanted if rule_id is not None]
    rows = await conn.fetch(
        f"{VERSION_SELECT} WHERE (v.rule_id, v.version) IN"
        " (SELECT * FROM unnest($1::uuid[], $2::int[]))",
        [k[0] for k in known],
        [k[1] for k in known],
    )
    found = {(r["id"], r["version"]): from_row(Rule, r) for r in rows}
    return [found.get(key) for key in wanted]


def _uuid(value: str) -> uuid.UUID | None:
    parsed = parse_uuids([value])
    return parsed[0] if parsed else None


async def versions_of(conn: Connection, ids: list[str]) -> list[list[Rule]]:
    """Every version of each rule, oldest first."""
    rows = await conn.fetch(
        f"{VERSION_SELECT} WHERE v.rule_id = ANY($1::uuid[]) ORDER BY v.rule_id, v.version",
        parse_uuids(ids),
    )
    keys = [str(_uuid(i) or i) for i in ids]
    return all_per_key(keys, (from_row(Rule, r) for r in rows), attrgetter("id"))


PROGRAM_SELECT = (
    "SELECT p.code, p.name, p.min_credits, p.name_zh, p.description_en, p.description_zh,"
    " p.retired_from, array(SELECT course_code FROM program_courses pc"
    " WHERE pc.program_code = p.code ORDER BY position) AS courses FROM certificate_programs p"
)


async def upsert_program(conn: Connection, program: Program) -> Program:
    await conn.execute(
        "INSERT INTO certificate_programs"
        " (code, name, min_credits, name_zh, description_en, description_zh, retired_from)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)"
        " ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name,"
        " min_credits = EXCLUDED.min_credits, name_zh = EXCLUDED.name_zh,"
        " description_en = EXCLUDED.description_en, description_zh = EXCLUDED.description_zh,"
        " retired_from = EXCLUDED.retired_from",
        program.code,
        program.name,
        program.min_credits,
        program.name_zh,
        program.description_en,
        program.description_zh,
        program.retired_from,
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


RETIRABLE = {
    CatalogKind.MAJOR: ("majors", "code"),
    CatalogKind.COURSE: ("courses", "code"),
    CatalogKind.CREDENTIAL_TYPE: ("credential_types", "code"),
    CatalogKind.RULE: ("conversion_rules", "id"),
    CatalogKind.PROGRAM: ("certificate_programs", "code"),
}


async def retire(conn: Connection, kind: CatalogKind, key: str, day: date) -> None:
    """Retire the entry from `day` on (the caller found it, locked, and not retired)."""
    table, column = RETIRABLE[kind]
    await conn.execute(f"UPDATE {table} SET retired_from = $2 WHERE {column} = $1", key, day)


LOCKED: dict[CatalogKind, tuple[str, Callable[[asyncpg.Record], object]]] = {
    CatalogKind.MAJOR: (
        f"SELECT {MAJOR_COLUMNS} FROM majors WHERE code = $1 FOR UPDATE",
        lambda r: from_row(Major, r),
    ),
    CatalogKind.COURSE: (
        f"SELECT {COURSE_COLUMNS} FROM courses WHERE code = $1 FOR UPDATE",
        lambda r: from_row(Course, r),
    ),
    CatalogKind.CREDENTIAL_TYPE: (
        f"SELECT {CREDENTIAL_COLUMNS} FROM credential_types WHERE code = $1 FOR UPDATE",
        lambda r: from_row(CredentialType, r),
    ),
    CatalogKind.RULE: (
        f"SELECT {RULE_COLUMNS} FROM conversion_rules WHERE id = $1 FOR UPDATE",
        lambda r: from_row(Rule, r),
    ),
    CatalogKind.PROGRAM: (f"{PROGRAM_SELECT} WHERE p.code = $1 FOR UPDATE OF p", _program),
}
"""Per kind, how an entry is read by its key and locked, and how a row becomes it."""


async def entry_for_update(conn: Connection, kind: CatalogKind, key: str) -> object | None:
    """The entry `key` of `kind`, locked until the transaction ends; None if none."""
    select, make = LOCKED[kind]
    row = await conn.fetchrow(select, key)
    return None if row is None else make(row)


async def upsert_entry(conn: Connection, kind: CatalogKind, entry: E) -> E:
    """Keep a major, a course, a credential type or a programme (created or changed)."""
    if isinstance(entry, Program):
        kept = await upsert_program(conn, entry)
        assert isinstance(kept, type(entry))
        return kept
    return await _upsert(conn, RETIRABLE[kind][0], entry)


async def all_caps(conn: Connection) -> dict[str, Decimal]:
    """The caps as they are kept (for the history)."""
    return {"annualCredits": await annual_cap(conn)}


# Pages of the catalog, by code (rules by id): entries retired by `today` are left
# out unless `include_retired`.


@dataclass(frozen=True)
class Listing(Generic[T]):
    """One of the catalog's lists: its rows (`source`, the FROM and WHERE clauses with
    their `args`), their unique sort `key` and how a row becomes an entry."""

    name: str
    columns: str
    source: str
    args: tuple[Any, ...]
    key: str
    make: Callable[[asyncpg.Record], T]


async def page_of(conn: Connection, listing: Listing[T], request: PageRequest) -> Page[T]:
    args = list(listing.args)
    after = keyset(request, (listing.key,), args)
    rows = await conn.fetch(
        f"SELECT {listing.columns} {listing.source} AND {after}"
        f" {order_by((listing.key,))} LIMIT {request.limit}",
        *args,
    )
    column = listing.key.rsplit(".", 1)[-1]
    found = page(request, rows, key=lambda row: (row[column],))
    return Page([listing.make(r) for r in found.items], found.cursors, found.has_next)


async def count_of(conn: Connection, listing: Listing[Any]) -> int:
    return int(await conn.fetchval(f"SELECT count(*) {listing.source}", *listing.args) or 0)


def _live(alias: str, include_retired: bool, today: date) -> tuple[str, tuple[Any, ...]]:
    if include_retired:
        return "TRUE", ()
    return f"({alias}.retired_from IS NULL OR {alias}.retired_from > $1)", (today,)


def _aliased(alias: str, columns: str) -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in columns.split(","))


def _by_code(
    name: str, table: str, columns: str, entry: type[E], include_retired: bool, today: date
) -> Listing[E]:
    """The entries of `table`, by code."""
    live, args = _live("e", include_retired, today)
    return Listing(
        name,
        _aliased("e", columns),
        f"FROM {table} e WHERE {live}",
        args,
        "e.code",
        lambda r: from_row(entry, r),
    )


def majors_listing(include_retired: bool, today: date) -> Listing[Major]:
    return _by_code("majors", "majors", MAJOR_COLUMNS, Major, include_retired, today)


def courses_listing(major_code: str | None, include_retired: bool, today: date) -> Listing[Course]:
    live, args = _live("c", include_retired, today)
    args = (*args, major_code)
    major = f"(${len(args)}::text IS NULL OR c.major_code = ${len(args)})"
    return Listing(
        f"courses:{major_code or ''}",
        _aliased("c", COURSE_COLUMNS),
        f"FROM courses c WHERE {live} AND {major}",
        args,
        "c.code",
        lambda r: from_row(Course, r),
    )


def credential_types_listing(include_retired: bool, today: date) -> Listing[CredentialType]:
    return _by_code(
        "credentialTypes",
        "credential_types",
        CREDENTIAL_COLUMNS,
        CredentialType,
        include_retired,
        today,
    )


def rules_listing(
    credential_code: str | None, major_code: str | None, include_retired: bool, today: date
) -> Listing[Rule]:
    """Rules (their current versions) of a credential and of a major's courses."""
    live, args = _live("r", include_retired, today)
    args = (*args, credential_code, major_code)
    c, m = len(args) - 1, len(args)
    return Listing(
        f"rules:{credential_code or ''}:{major_code or ''}",
        _aliased("r", RULE_COLUMNS),
        "FROM conversion_rules r JOIN courses c ON c.code = r.course_code"
        f" WHERE {live} AND (${c}::text IS NULL OR r.credential_code = ${c})"
        f" AND (${m}::text IS NULL OR c.major_code = ${m})",
        args,
        "r.id",
        lambda r: from_row(Rule, r),
    )


def programs_listing(include_retired: bool, today: date) -> Listing[Program]:
    live, args = _live("p", include_retired, today)
    return Listing(
        "certificatePrograms",
        PROGRAM_SELECT.removeprefix("SELECT ").split(" FROM certificate_programs p")[0],
        f"FROM certificate_programs p WHERE {live}",
        args,
        "p.code",
        _program,
    )
