"""Use cases of conversions: a certified outcome turned into credits (and the
programme certificates they complete) or explained why not, a conversion revoked,
redeemed, its redemption reversed, or expired. Each event leaves through the outbox
in the caller's transaction; a revocation revokes the credentials that rested on it
in that transaction too."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from cbkit.db import Connection
from cbkit.errors import Conflict, NotFound
from cbkit.outbox import publish
from services.conversion import domain, events
from services.conversion.repository import catalog, certificates, conversions, outcomes
from services.conversion.service_layer import credentials


async def convert(conn: Connection, approval: domain.Approval, now: datetime, on: date) -> None:
    """Apply the rules in force on day `on` (the decision's, in the bank's zone) to a
    certified outcome, and keep why each course it reached gave nothing (or less), or
    why it reached none; the caller holds the transaction. A learner who closed the
    account gains nothing more."""
    await conversions.lock_learner(conn, approval.learner_id)
    if (await conversions.closed_among(conn, [approval.learner_id]))[0]:
        return
    if not await conversions.insert_approval(conn, approval):
        return
    await outcomes.record_learner(conn, approval.outcome_id, approval.learner_id)
    rules = await catalog.rules_for(conn, approval.credential_code, approval.kind, on=on)
    decided: list[domain.Grant | domain.Withheld] = []
    if rules:
        codes = sorted({r.course_code for r in rules})
        found = await catalog.courses_by_code(conn, codes)
        courses = {c.code: c for c in found if c is not None}
        majors = sorted({c.major_code for c in courses.values()})
        major_caps = await catalog.major_caps(conn, majors)
        annual_cap = await catalog.annual_cap(conn)
        state = await conversions.learner_state(conn, approval.learner_id)
        decided = domain.decide(approval, rules, courses, major_caps, annual_cap, state)
    retired = await conversions.retirements(conn, approval.credential_code, approval.kind, on)
    granted: list[str] = []
    for result in [*decided, *domain.unreached(approval, decided, retired)]:
        if isinstance(result, domain.Withheld):
            await conversions.insert_refusal(
                conn, approval.outcome_id, approval.learner_id, result, now
            )
        else:
            granted.append(await _grant(conn, approval, result, now))
    if granted:
        await _award_programmes(conn, approval.learner_id, granted, now)


async def _grant(
    conn: Connection, approval: domain.Approval, grant: domain.Grant, now: datetime
) -> str:
    """Record the credits granted and announce them; the course credited."""
    conversion = domain.Conversion(
        id=str(uuid.uuid4()),
        outcome_id=approval.outcome_id,
        learner_id=approval.learner_id,
        course_code=grant.course.code,
        major_code=grant.course.major_code,
        rule_id=grant.rule.id,
        rule_version=grant.rule.version,
        credits=grant.credits,
        status=domain.ConversionStatus.ACTIVE,
        converted_at=now,
        expires_on=grant.expires_on,
    )
    await conversions.insert_conversion(conn, conversion, approval.decided_at.year)
    await publish(conn, events.credits_converted(conversion))
    return conversion.course_code


async def _award_programmes(
    conn: Connection, learner_id: str, new_courses: list[str], now: datetime
) -> None:
    programs = await catalog.programs_requiring(conn, new_courses)
    if not programs:
        return
    credited = await conversions.credited_courses(conn, learner_id)
    for program in sorted(programs, key=lambda p: p.code):
        if domain.requirement_met(program, credited):
            award = await certificates.award(conn, program.code, learner_id, now)
            if award is not None:
                await publish(conn, events.certificate_awarded(award))


async def revoke_conversion(
    conn: Connection, conversion_id: str, reason: str, now: datetime
) -> domain.Conversion:
    """Revoke an active conversion and flag the certificates that no longer hold; the
    transcripts holding it and the credentials of those certificates are revoked."""
    reason = domain.clean_text(reason, "reason", limit=500)
    async with conn.transaction():
        found = (await conversions.conversions_by_id(conn, [conversion_id]))[0]
        if found is None:
            raise NotFound(
                f'no conversion with id "{conversion_id}"',
                field="id",
                zh=f"没有 id 为“{conversion_id}”的换算记录",
            )
        await conversions.lock_learner(conn, found.learner_id)
        revoked = await conversions.revoke(conn, found.id, reason, now)
        if revoked is None:
            raise Conflict(
                f"conversion {conversion_id} is already revoked",
                field="id",
                zh=f"换算记录 {conversion_id} 已被撤销",
            )
        await publish(conn, events.credits_revoked(revoked, reason, now))
        await credentials.revoke_with_conversion(conn, found.learner_id, found.id, now)
        note = f"requirement no longer met: {found.course_code} revoked ({reason})"
        await _flag_unmet(conn, found.learner_id, note, now)
        return revoked


async def _flag_unmet(conn: Connection, learner_id: str, note: str, now: datetime) -> None:
    """Flag the learner's certificates whose programme the credits no longer meet, and
    revoke their credentials (and the transcripts embedding them)."""
    credited = await conversions.credited_courses(conn, learner_id)
    awards = await certificates.awards_of_learner(conn, learner_id)
    programs = await catalog.programs_by_code(conn, [a.program_code for a in awards])
    for award, program in zip(awards, programs, strict=True):
        if program is None or domain.requirement_met(program, credited):
            continue
        if await certificates.flag(conn, award.serial, note, now):
            await credentials.revoke_with_certificate(conn, learner_id, award.serial, now)


async def mark(conn: Connection, conversion_id: str, status: domain.ConversionStatus) -> None:
    """Record that accounts redeemed or expired the credits of a conversion."""
    await conversions.set_status(conn, conversion_id, status)


async def redemption_reversed(conn: Connection, conversion_id: str) -> None:
    """Accounts reversed the redemption of a conversion's credits: a redeemed conversion
    is active again (once; a revoked or expired one stays as it is)."""
    await conversions.reactivate(conn, conversion_id)
