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
from services.conversion.service_layer import credentials
from services.conversion.service_layer.dependencies import Dependencies
from services.conversion.service_layer.records import by_api_name

# What the export writes of each record (the refusals' reasons added), in this order.
CONVERSION_FIELDS = (
    "id",
    "outcome_id",
    "course_code",
    "major_code",
    "rule_id",
    "rule_version",
    "credits",
    "status",
    "converted_at",
    "expires_on",
)
REFUSAL_FIELDS = ("outcome_id", "course_code", "rule_id", "rule_version", "code", "params")
CERTIFICATE_FIELDS = ("serial", "program_code", "awarded_at", "flagged_at", "flag_reason")
CREDENTIAL_FIELDS = (
    "id",
    "kind",
    "serial",
    "issued_at",
    "revoked_at",
    "revoke_reason",
    "superseded_at",
)


async def close_account(conn: Connection, account_id: str, role: str, at: datetime) -> None:
    """Forget a closed account's consents (as learner or institution); a learner's
    credits stay as figures only admins read, without the text written about them,
    and every credential issued to the learner is revoked. Idempotent: a second
    closure changes nothing."""
    await consents.remove_of_account(conn, account_id)
    if role != Role.LEARNER.value:
        return
    await conversions.lock_learner(conn, account_id)
    await conversions.close_learner(conn, account_id, at)
    await conversions.erase_personal_text(conn, account_id)
    await certificates.erase_flag_reasons(conn, account_id)
    await credentials.revoke_of_learner(conn, account_id, at)


async def closed_among(conn: Connection, learner_ids: list[str]) -> list[bool]:
    """Per learner id, whether the learner closed the account."""
    return await conversions.closed_among(conn, learner_ids)


def _refusal(d: domain.Declined) -> dict[str, Any]:
    reason = refusal_texts(d.code, d.params)
    return {
        **by_api_name(d, REFUSAL_FIELDS),
        "reasonZh": reason.zh,
        "reasonEn": reason.en,
        "at": d.at,
    }


async def export(
    conn: Connection, deps: Dependencies, learner_id: str
) -> Mapping[str, Sequence[Mapping[str, Any]]]:
    """Everything conversion holds about the learner: conversions (with the rule
    version each was granted under), refusals (code, and the reason in both languages)
    certificates and the credentials issued (what, when, whether revoked; the signed
    documents are the learner's to download). A closed account's id answers nothing."""
    if (await conversions.closed_among(conn, [learner_id]))[0]:
        return {"conversions": [], "conversionRefusals": [], "certificates": [], "credentials": []}
    [found] = await conversions.conversions_by_learner(conn, [learner_id])
    refusals = await conversions.refusals_of_learner(conn, learner_id)
    awards = await certificates.awards_of_learner(conn, learner_id)
    issued = await credentials.issued_to_learner(conn, learner_id)
    return {
        "conversions": [by_api_name(c, CONVERSION_FIELDS) for c in found],
        "conversionRefusals": [_refusal(d) for d in refusals],
        "certificates": [by_api_name(a, CERTIFICATE_FIELDS) for a in awards],
        "credentials": [by_api_name(c, CREDENTIAL_FIELDS) for c in issued],
    }
