"""What the Personal Information Protection Law asks of conversion: a learner's copy of
what is held about them (`GET /privacy/export`), and a closed account's erasure
(`account.closed`): the figures stay, by id only, and nothing personal is left."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from cbkit.auth import Role
from cbkit.db import Connection
from services.conversion import domain
from services.conversion.domain.explanations import refusal_texts
from services.conversion.repository import certificates, consents, conversions
from services.conversion.service_layer.dependencies import Dependencies


async def close_account(conn: Connection, account_id: str, role: str, at: datetime) -> None:
    """Forget a closed account's consents (as learner or institution); a learner's
    credits stay as figures only admins read, without the text written about them.
    Idempotent: a second closure changes nothing."""
    await consents.remove_of_account(conn, account_id)
    if role != Role.LEARNER.value:
        return
    await conversions.lock_learner(conn, account_id)
    await conversions.close_learner(conn, account_id, at)
    await conversions.erase_personal_text(conn, account_id)
    await certificates.erase_flag_reasons(conn, account_id)


async def closed_among(conn: Connection, learner_ids: list[str]) -> list[bool]:
    """Per learner id, whether the learner closed the account."""
    return await conversions.closed_among(conn, learner_ids)


def _conversion(c: domain.Conversion) -> dict[str, Any]:
    return {
        "id": c.id,
        "outcomeId": c.outcome_id,
        "courseCode": c.course_code,
        "majorCode": c.major_code,
        "ruleId": c.rule_id,
        "ruleVersion": c.rule_version,
        "credits": c.credits,
        "status": c.status,
        "convertedAt": c.converted_at,
        "expiresOn": c.expires_on,
    }


def _refusal(d: domain.Declined) -> dict[str, Any]:
    reason = refusal_texts(d.code, d.params)
    return {
        "outcomeId": d.outcome_id,
        "courseCode": d.course_code,
        "ruleId": d.rule_id,
        "ruleVersion": d.rule_version,
        "code": d.code,
        "params": d.params,
        "reasonZh": reason.zh,
        "reasonEn": reason.en,
        "at": d.at,
    }


def _certificate(a: domain.Award) -> dict[str, Any]:
    return {
        "serial": a.serial,
        "programCode": a.program_code,
        "awardedAt": a.awarded_at,
        "flaggedAt": a.flagged_at,
        "flagReason": a.flag_reason,
    }


async def export(
    conn: Connection, deps: Dependencies, learner_id: str
) -> Mapping[str, Sequence[Mapping[str, Any]]]:
    """Everything conversion holds about the learner: conversions (with the rule
    version each was granted under), refusals (code, and the reason in both languages)
    and certificates. A closed account's id answers nothing."""
    if (await conversions.closed_among(conn, [learner_id]))[0]:
        return {"conversions": [], "conversionRefusals": [], "certificates": []}
    [found] = await conversions.conversions_by_learner(conn, [learner_id])
    refusals = await conversions.refusals_of_learner(conn, learner_id)
    awards = await certificates.awards_of_learner(conn, learner_id)
    return {
        "conversions": [_conversion(c) for c in found],
        "conversionRefusals": [_refusal(d) for d in refusals],
        "certificates": [_certificate(a) for a in awards],
    }
