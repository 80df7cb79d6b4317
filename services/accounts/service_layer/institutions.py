"""Use cases of member institutions: their public profile, the courses they offer, and
accounts' replica of the catalog's courses. Each takes a connection and plain values."""

from __future__ import annotations

from datetime import date, datetime

from cbkit.db import Connection
from cbkit.errors import Conflict, Refusal
from services.accounts.domain import accounts as domain
from services.accounts.domain import institutions
from services.accounts.domain.institutions import CatalogCourse, Institution, ProfileText
from services.accounts.repository import accounts as repository
from services.accounts.repository import institutions as store


async def set_profile(
    conn: Connection, institution_id: str, text: ProfileText, now: datetime
) -> Institution:
    """Create or change an institution's public profile; its code is its own."""
    institution_id = domain.check_id(institution_id, "institutionId")
    async with conn.transaction():
        account = (await repository.accounts_by_id(conn, [institution_id]))[0]
        role = account.role if account else None
        profile = institutions.profile(institution_id, role, text, now)
        if not await store.save_profile(conn, profile):
            raise Conflict(
                f"another institution has the code {profile.code}",
                field="code",
                zh=f"代码 {profile.code} 已被另一个机构使用",
            )
    return profile


async def set_courses_offered(
    conn: Connection, institution_id: str, course_codes: list[str], today: date
) -> Institution:
    """Replace the courses the institution offers; an unknown or retired code changes
    nothing."""
    institution_id = domain.check_id(institution_id, "institutionId")
    requested = institutions.requested_codes(course_codes)
    async with conn.transaction():
        profile = await store.lock_profile(conn, institution_id)
        if profile is None:
            raise Refusal(
                "the institution has no public profile yet: set it with setInstitutionProfile"
                " before the courses it offers",
                field="institutionId",
                zh="该机构尚无公开资料：请先用 setInstitutionProfile 设置资料，再设置其提供的课程",
            )
        known = await store.courses_by_code(conn, requested)
        courses = institutions.offerable(requested, known, today)
        await store.replace_offered(conn, institution_id, [c.code for c in courses])
    return profile


async def record_course(conn: Connection, course: CatalogCourse) -> None:
    """What conversion announced of a course, kept unless a newer change is known."""
    await store.save_course(conn, course)
