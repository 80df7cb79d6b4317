"""Use cases of the catalog: an admin's edits, checked before they are kept, and what
a credential would earn today."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from cbkit.db import Connection
from cbkit.errors import NotFound, Refusal
from services.conversion import domain
from services.conversion.repository import catalog as repository


async def upsert_major(
    conn: Connection,
    edit: domain.Edit,
    code: str,
    name: str,
    credential_credit_cap: Decimal | None,
) -> domain.Major:
    return await repository.upsert_major(conn, domain.new_major(code, name, credential_credit_cap))


async def upsert_course(
    conn: Connection, edit: domain.Edit, code: str, name: str, credits: Decimal, major_code: str
) -> domain.Course:
    course = domain.new_course(code, name, credits, major_code)
    if (await repository.majors_by_code(conn, [course.major_code]))[0] is None:
        raise Refusal(f"no major {course.major_code} in the catalog", field="majorCode")
    return await repository.upsert_course(conn, course)


async def upsert_credential_type(
    conn: Connection, edit: domain.Edit, code: str, name: str, authority: str
) -> domain.CredentialType:
    credential = domain.new_credential_type(code, name, authority)
    return await repository.upsert_credential_type(conn, credential)


async def upsert_rule(
    conn: Connection,
    edit: domain.Edit,
    *,
    id: str | None,
    credential_code: str | None,
    outcome_kind: str | None,
    min_hours: int | None,
    course_code: str,
    credits: Decimal,
    valid_from: date,
    valid_until: date | None,
    credit_validity_years: int | None,
    allow_partial: bool = False,
    effective_from: date | None = None,
    create_missing_id: bool = False,
) -> domain.Rule:
    """Create a rule (version 1, in force from its validFrom), or change the one with
    `id`: a new version in force from `effective_from` (by default today, never before
    the current version's day). An edit that changes nothing keeps the rule as it is.
    Each term is checked in turn and the first one at fault is refused by name.
    `create_missing_id` lets a seed keep its rules under fixed ids: an `id` no rule
    has yet is created instead of refused."""
    code = await _credential(conn, credential_code, outcome_kind)
    if min_hours is not None and min_hours < 1:
        raise Refusal(
            f"minHours must be at least 1, got {min_hours}",
            field="minHours",
            zh=f"minHours 至少为 1，收到的是 {min_hours}",
        )
    course = await _course(conn, course_code)
    credits = domain.check_credits(credits, "credits")
    if credits > course.credits:
        raise Refusal(
            f"credits ({credits}) must not exceed the course's {course.credits}",
            field="credits",
            zh=f"credits（{credits}）不能超过该课程的学分 {course.credits}",
        )
    domain.check_window(valid_from, valid_until)
    domain.check_validity_years(credit_validity_years)
    rule_id = _rule_id(id)
    proposed = domain.Rule(
        id=rule_id,
        credential_code=code,
        outcome_kind=outcome_kind if code is None else None,
        min_hours=min_hours,
        course_code=course.code,
        credits=credits,
        valid_from=valid_from,
        valid_until=valid_until,
        credit_validity_years=credit_validity_years,
        allow_partial=allow_partial,
        effective_from=valid_from,
    )
    async with conn.transaction():
        current = await repository.rule_for_update(conn, rule_id) if id is not None else None
        if current is None:
            if id is not None and not create_missing_id:
                raise _no_rule(id)
            if effective_from is not None:
                raise Refusal(
                    "effectiveFrom is for edits: a new rule is in force from its validFrom",
                    field="effectiveFrom",
                    zh="effectiveFrom 仅用于修改规则：新规则自其 validFrom 起生效",
                )
            return await repository.save_rule_version(conn, proposed, edit.by, edit.at)
        if current.same_terms(proposed) and effective_from in (None, current.effective_from):
            return current
        rule = domain.next_version(current, proposed, effective_from, edit.today)
        return await repository.save_rule_version(conn, rule, edit.by, edit.at)


async def _credential(
    conn: Connection, credential_code: str | None, outcome_kind: str | None
) -> str | None:
    """The credential a rule names (a known one), or None when it names a kind instead."""
    if credential_code is None and outcome_kind is None:
        raise Refusal("a rule needs a credentialCode or an outcomeKind", field="credentialCode")
    code = domain.clean_code(credential_code, "credentialCode") if credential_code else None
    if code and not await repository.credential_type_exists(conn, code):
        raise Refusal(f"no credential type {code} in the catalog", field="credentialCode")
    if outcome_kind is not None and outcome_kind not in domain.OUTCOME_KINDS:
        raise Refusal(f"unknown outcome kind {outcome_kind}", field="outcomeKind")
    return code


async def _course(conn: Connection, course_code: str) -> domain.Course:
    code = domain.clean_code(course_code, "courseCode")
    course = (await repository.courses_by_code(conn, [code]))[0]
    if course is None:
        raise Refusal(f"no course {code} in the catalog", field="courseCode")
    return course


def _rule_id(id: str | None) -> str:
    """A new id, or `id` as a rule's id is written (a rule with it may not exist)."""
    if id is None:
        return str(uuid.uuid4())
    try:
        return str(uuid.UUID(id))
    except ValueError:
        raise _no_rule(id) from None


def _no_rule(id: str) -> NotFound:
    return NotFound(
        f'no conversion rule with id "{id}"', field="id", zh=f"没有 id 为“{id}”的转换规则"
    )


async def upsert_program(
    conn: Connection,
    edit: domain.Edit,
    code: str,
    name: str,
    required_course_codes: Sequence[str],
    min_credits: Decimal | None,
) -> domain.Program:
    courses = domain.required_courses(required_course_codes)
    found = await repository.courses_by_code(conn, list(courses))
    missing = [c for c, f in zip(courses, found, strict=True) if f is None]
    if missing:
        raise Refusal(f"no course {', '.join(missing)} in the catalog", field="requiredCourseCodes")
    if min_credits is not None:
        min_credits = domain.check_credits(min_credits, "minCredits")
        available = sum((f.credits for f in found if f is not None), Decimal(0))
        if min_credits > available:
            raise Refusal(
                f"minCredits ({min_credits}) is more than the courses give ({available})",
                field="minCredits",
            )
    program = domain.Program(
        code=domain.clean_code(code, "code"),
        name=domain.clean_text(name, "name"),
        required_course_codes=courses,
        min_credits=min_credits,
    )
    async with conn.transaction():
        return await repository.upsert_program(conn, program)


async def set_annual_cap(conn: Connection, edit: domain.Edit, annual_credits: Decimal) -> Decimal:
    credits = domain.check_credits(annual_credits, "annualCredits")
    return await repository.set_annual_cap(conn, credits)


async def find_rules(
    conn: Connection, credential_code: str | None, major_code: str | None
) -> list[domain.Rule]:
    """The rules of a credential and of a major's courses; either filter may be left out."""
    credential = credential_code.strip().upper() if credential_code else None
    major = major_code.strip().upper() if major_code else None
    return await repository.find_rules(conn, credential, major)


async def preview(conn: Connection, credential_code: str, today: date) -> list[domain.Rule]:
    """What the credential would earn `today`: its rules valid on that day."""
    code = domain.clean_code(credential_code, "credentialCode")
    rules = await repository.rules_for(conn, code, None, today)
    return [r for r in rules if r.valid_on(today)]
