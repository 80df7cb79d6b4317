"""Use cases: plain functions taking a connection."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from cbkit.db import Connection
from cbkit.errors import Conflict, NotFound
from cbkit.errors import Refusal as BadInput
from cbkit.outbox import publish
from services.conversion import domain, events
from services.conversion.repository import catalog, conversions


def _now() -> datetime:
    return datetime.now(UTC)


# ------------------------------------------------------------------ catalog


async def upsert_major(
    conn: Connection, code: str, name: str, credential_credit_cap: Decimal | None
) -> domain.Major:
    major = domain.Major(
        code=domain.clean_code(code, "code"),
        name=domain.clean_text(name, "name"),
        credential_credit_cap=(
            domain.check_credits(credential_credit_cap, "credentialCreditCap")
            if credential_credit_cap is not None
            else None
        ),
    )
    return await catalog.upsert_major(conn, major)


async def upsert_course(
    conn: Connection, code: str, name: str, credits: Decimal, major_code: str
) -> domain.Course:
    course = domain.Course(
        code=domain.clean_code(code, "code"),
        name=domain.clean_text(name, "name"),
        credits=domain.check_credits(credits, "credits"),
        major_code=domain.clean_code(major_code, "majorCode"),
    )
    if (await catalog.majors_by_code(conn, [course.major_code]))[0] is None:
        raise BadInput(f"no major {course.major_code} in the catalog", field="majorCode")
    return await catalog.upsert_course(conn, course)


async def upsert_credential_type(
    conn: Connection, code: str, name: str, authority: str
) -> domain.CredentialType:
    credential = domain.CredentialType(
        code=domain.clean_code(code, "code"),
        name=domain.clean_text(name, "name"),
        authority=domain.clean_text(authority, "authority"),
    )
    return await catalog.upsert_credential_type(conn, credential)


async def upsert_rule(
    conn: Connection,
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
    create_missing_id: bool = False,
) -> domain.Rule:
    if credential_code is None and outcome_kind is None:
        raise BadInput("a rule needs a credentialCode or an outcomeKind", field="credentialCode")
    code = domain.clean_code(credential_code, "credentialCode") if credential_code else None
    if code and not await catalog.credential_type_exists(conn, code):
        raise BadInput(f"no credential type {code} in the catalog", field="credentialCode")
    if outcome_kind is not None and outcome_kind not in domain.OUTCOME_KINDS:
        raise BadInput(f"unknown outcome kind {outcome_kind}", field="outcomeKind")
    if min_hours is not None and min_hours < 1:
        raise BadInput(f"minHours must be at least 1, got {min_hours}", field="minHours")
    course_code = domain.clean_code(course_code, "courseCode")
    course = (await catalog.courses_by_code(conn, [course_code]))[0]
    if course is None:
        raise BadInput(f"no course {course_code} in the catalog", field="courseCode")
    credits = domain.check_credits(credits, "credits")
    if credits > course.credits:
        raise BadInput(
            f"credits ({credits}) must not exceed the course's {course.credits}", field="credits"
        )
    domain.check_window(valid_from, valid_until)
    domain.check_validity_years(credit_validity_years)
    if id is not None:
        try:
            rule_id = str(uuid.UUID(id))
        except ValueError:
            raise NotFound(f"no conversion rule {id}", field="id") from None
        if not create_missing_id and not await catalog.rule_exists(conn, rule_id):
            raise NotFound(f"no conversion rule {id}", field="id")
    else:
        rule_id = str(uuid.uuid4())
    rule = domain.Rule(
        id=rule_id,
        credential_code=code,
        outcome_kind=outcome_kind if code is None else None,
        min_hours=min_hours,
        course_code=course_code,
        credits=credits,
        valid_from=valid_from,
        valid_until=valid_until,
        credit_validity_years=credit_validity_years,
        allow_partial=allow_partial,
    )
    return await catalog.upsert_rule(conn, rule)


async def upsert_program(
    conn: Connection,
    code: str,
    name: str,
    required_course_codes: Sequence[str],
    min_credits: Decimal | None,
) -> domain.Program:
    courses = list(
        dict.fromkeys(domain.clean_code(c, "requiredCourseCodes") for c in required_course_codes)
    )
    if not courses:
        raise BadInput("a programme needs at least one course", field="requiredCourseCodes")
    found = await catalog.courses_by_code(conn, courses)
    missing = [c for c, f in zip(courses, found, strict=True) if f is None]
    if missing:
        raise BadInput(
            f"no course {', '.join(missing)} in the catalog", field="requiredCourseCodes"
        )
    if min_credits is not None:
        min_credits = domain.check_credits(min_credits, "minCredits")
        available = sum((f.credits for f in found if f is not None), Decimal(0))
        if min_credits > available:
            raise BadInput(
                f"minCredits ({min_credits}) is more than the courses give ({available})",
                field="minCredits",
            )
    program = domain.Program(
        code=domain.clean_code(code, "code"),
        name=domain.clean_text(name, "name"),
        required_course_codes=tuple(courses),
        min_credits=min_credits,
    )
    async with conn.transaction():
        return await catalog.upsert_program(conn, program)


async def set_annual_cap(conn: Connection, annual_credits: Decimal) -> Decimal:
    return await catalog.set_annual_cap(conn, domain.check_credits(annual_credits, "annualCredits"))


async def preview(conn: Connection, credential_code: str, today: date) -> list[domain.Rule]:
    code = domain.clean_code(credential_code, "credentialCode")
    rules = await catalog.find_rules(conn, code, None)
    return [r for r in rules if r.valid_on(today)]


# ------------------------------------------------------------- conversions


async def convert(conn: Connection, approval: domain.Approval) -> None:
    """Apply the rules to a certified outcome; the caller holds the transaction."""
    await conversions.lock_learner(conn, approval.learner_id)
    if not await conversions.insert_approval(conn, approval):
        return
    rules = await catalog.rules_for(conn, approval.credential_code, approval.kind)
    if not rules:
        return
    codes = sorted({r.course_code for r in rules})
    courses = {c.code: c for c in await catalog.courses_by_code(conn, codes) if c is not None}
    major_caps = await catalog.major_caps(conn, sorted({c.major_code for c in courses.values()}))
    annual_cap = await catalog.annual_cap(conn)
    state = await conversions.learner_state(conn, approval.learner_id)
    now = _now()
    granted: list[str] = []
    for result in domain.decide(approval, rules, courses, major_caps, annual_cap, state):
        if isinstance(result, domain.Withheld):
            refusal = domain.Refusal(
                approval.outcome_id, approval.learner_id, result.course_code, result.reason, now
            )
            await conversions.insert_refusal(conn, refusal, result.rule_id)
            continue
        conversion = domain.Conversion(
            id=str(uuid.uuid4()),
            outcome_id=approval.outcome_id,
            learner_id=approval.learner_id,
            course_code=result.course.code,
            major_code=result.course.major_code,
            rule_id=result.rule.id,
            credits=result.credits,
            status=domain.ConversionStatus.ACTIVE,
            converted_at=now,
            expires_on=result.expires_on,
        )
        await conversions.insert_conversion(conn, conversion, approval.decided_at.year)
        await publish(conn, events.credits_converted(conversion))
        granted.append(conversion.course_code)
    if granted:
        await _award_programmes(conn, approval.learner_id, granted, now)


async def _award_programmes(
    conn: Connection, learner_id: str, new_courses: list[str], now: datetime
) -> None:
    programs = await catalog.programs_requiring(conn, new_courses)
    if not programs:
        return
    credited = await conversions.credited_courses(conn, learner_id)
    for program in sorted(programs, key=lambda p: p.code):
        if domain.requirement_met(program, credited):
            award = await conversions.award(conn, program.code, learner_id, now)
            if award is not None:
                await publish(conn, events.certificate_awarded(award))


async def revoke_conversion(conn: Connection, conversion_id: str, reason: str) -> domain.Conversion:
    reason = domain.clean_text(reason, "reason", limit=500)
    async with conn.transaction():
        found = (await conversions.conversions_by_id(conn, [conversion_id]))[0]
        if found is None:
            raise NotFound(f"no conversion {conversion_id}", field="id")
        await conversions.lock_learner(conn, found.learner_id)
        now = _now()
        revoked = await conversions.revoke(conn, found.id, reason, now)
        if revoked is None:
            raise Conflict(f"conversion {conversion_id} is already revoked", field="id")
        await publish(conn, events.credits_revoked(revoked, reason, now))
        credited = await conversions.credited_courses(conn, found.learner_id)
        awards = await conversions.awards_of_learner(conn, found.learner_id)
        programs = await catalog.programs_by_code(conn, [a.program_code for a in awards])
        for award, program in zip(awards, programs, strict=True):
            if program is not None and not domain.requirement_met(program, credited):
                note = f"requirement no longer met: {found.course_code} revoked ({reason})"
                await conversions.flag(conn, award.serial, note, now)
        return revoked


async def mark(conn: Connection, conversion_id: str, status: domain.ConversionStatus) -> None:
    await conversions.set_status(conn, conversion_id, status)
