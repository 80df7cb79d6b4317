"""SQL for institutions' profiles, the catalog's courses (a replica) and the courses
each institution offers."""

from __future__ import annotations

import uuid
from operator import attrgetter

import asyncpg

from cbkit.db import Connection, arguments, from_row, one_per_key, parse_uuids
from cbkit.paging import Page, PageRequest, keyset, order_by, page
from services.accounts.domain.institutions import CatalogCourse, Institution

COLUMNS = "account_id, code, name_zh, name_en, city, updated_at"
COURSE_COLUMNS = "code, major_code, name_zh, name_en, credits, retired_from, changed_at"
ORDER = ("code", "account_id")
SEARCHED = ("code", "name_zh", "name_en", "city")


async def save_profile(conn: Connection, institution: Institution) -> bool:
    """Store the profile; False when another institution has its code."""
    try:
        async with conn.transaction():
            await conn.execute(
                f"INSERT INTO institutions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
                " ON CONFLICT (account_id) DO UPDATE SET code = EXCLUDED.code,"
                " name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en,"
                " city = EXCLUDED.city, updated_at = EXCLUDED.updated_at",
                *arguments(institution, COLUMNS),
            )
    except asyncpg.UniqueViolationError:
        return False
    return True


async def lock_profile(conn: Connection, account_id: str) -> Institution | None:
    row = await conn.fetchrow(
        f"SELECT {COLUMNS} FROM institutions WHERE account_id = $1 FOR UPDATE",
        uuid.UUID(account_id),
    )
    return from_row(Institution, row) if row else None


async def profiles_by_account(conn: Connection, ids: list[str]) -> list[Institution | None]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM institutions WHERE account_id = ANY($1::uuid[])",
        parse_uuids(ids),
    )
    return one_per_key(ids, (from_row(Institution, r) for r in rows), attrgetter("account_id"))


async def profile_by_code(conn: Connection, code: str) -> Institution | None:
    row = await conn.fetchrow(
        f"SELECT {COLUMNS} FROM institutions WHERE code = upper($1)", code.strip()
    )
    return from_row(Institution, row) if row else None


def _search(search: str | None, args: list[object]) -> str:
    """Institutions whose code, names or city hold `search`, ignoring case."""
    if search is None:
        return "TRUE"
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    args.append(f"%{escaped}%")
    return "(" + " OR ".join(f"{column} ILIKE ${len(args)}" for column in SEARCHED) + ")"


async def directory(
    conn: Connection, request: PageRequest, search: str | None
) -> Page[Institution]:
    args: list[object] = []
    found = _search(search, args)
    after = keyset(request, ORDER, args)
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM institutions WHERE {found} AND {after}"
        f" {order_by(ORDER)} LIMIT {request.limit}",
        *args,
    )
    institutions = [from_row(Institution, r) for r in rows]
    return page(request, institutions, key=lambda i: (i.code, uuid.UUID(i.account_id)))


async def count_directory(conn: Connection, search: str | None) -> int:
    args: list[object] = []
    found = _search(search, args)
    count: int = await conn.fetchval(f"SELECT count(*) FROM institutions WHERE {found}", *args)
    return count


async def save_course(conn: Connection, course: CatalogCourse) -> None:
    """Store what conversion announced of a course unless a newer change is held."""
    await conn.execute(
        f"INSERT INTO catalog_courses ({COURSE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        " ON CONFLICT (code) DO UPDATE SET major_code = EXCLUDED.major_code,"
        " name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en,"
        " credits = EXCLUDED.credits, retired_from = EXCLUDED.retired_from,"
        " changed_at = EXCLUDED.changed_at"
        " WHERE catalog_courses.changed_at < EXCLUDED.changed_at",
        *arguments(course, COURSE_COLUMNS),
    )


async def courses_by_code(conn: Connection, codes: list[str]) -> dict[str, CatalogCourse]:
    """The replica's courses of these codes, by upper-cased code."""
    rows = await conn.fetch(
        f"SELECT {COURSE_COLUMNS} FROM catalog_courses"
        " WHERE upper(code) = ANY(SELECT upper(c) FROM unnest($1::text[]) AS c)",
        codes,
    )
    courses = [from_row(CatalogCourse, r) for r in rows]
    return {c.code.upper(): c for c in courses}


async def replace_offered(conn: Connection, institution_id: str, codes: list[str]) -> None:
    await conn.execute(
        "DELETE FROM courses_offered WHERE institution_id = $1", uuid.UUID(institution_id)
    )
    await conn.execute(
        "INSERT INTO courses_offered (institution_id, course_code)"
        " SELECT $1, c FROM unnest($2::text[]) AS c",
        uuid.UUID(institution_id),
        codes,
    )


async def offered_by(conn: Connection, institution_ids: list[str]) -> list[list[str]]:
    """The codes of the courses each institution offers, in code order."""
    rows = await conn.fetch(
        "SELECT institution_id, course_code FROM courses_offered"
        " WHERE institution_id = ANY($1::uuid[]) ORDER BY course_code",
        parse_uuids(institution_ids),
    )
    grouped: dict[str, list[str]] = {i: [] for i in institution_ids}
    for row in rows:
        grouped[str(row["institution_id"])].append(row["course_code"])
    return [grouped[i] for i in institution_ids]


async def offers(conn: Connection, institution_id: str, course_code: str) -> bool:
    """Whether the institution offers the course (its code in any case); a change to the
    offered courses waits for the transaction to end."""
    return bool(
        await conn.fetchval(
            "SELECT true FROM courses_offered WHERE institution_id = $1"
            " AND upper(course_code) = upper($2) FOR SHARE",
            uuid.UUID(institution_id),
            course_code,
        )
    )
