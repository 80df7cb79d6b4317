"""Events conversion publishes (credits converted/revoked, certificate awarded) and
the handlers for those it consumes, read into the domain's terms."""

from __future__ import annotations

from datetime import date, datetime

from cbkit.consumer import Handler
from cbkit.db import Connection
from cbkit.envelope import Event
from services.conversion import domain, service_layer
from services.conversion.repository import conversions

SOURCE = "/services/conversion"


def _instant(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def credits_converted(conversion: domain.Conversion) -> Event:
    return Event(
        routing_key="credits.converted",
        source=SOURCE,
        subject=conversion.learner_id,
        data={
            "conversionId": conversion.id,
            "learnerId": conversion.learner_id,
            "outcomeId": conversion.outcome_id,
            "courseCode": conversion.course_code,
            "majorCode": conversion.major_code,
            "credits": str(conversion.credits),
            "ruleId": conversion.rule_id,
            "expiresOn": conversion.expires_on.isoformat() if conversion.expires_on else None,
            "convertedAt": _instant(conversion.converted_at),
        },
    )


def credits_revoked(conversion: domain.Conversion, reason: str, at: datetime) -> Event:
    return Event(
        routing_key="credits.revoked",
        source=SOURCE,
        subject=conversion.learner_id,
        data={
            "conversionId": conversion.id,
            "learnerId": conversion.learner_id,
            "courseCode": conversion.course_code,
            "credits": str(conversion.credits),
            "reason": reason,
            "revokedAt": _instant(at),
        },
    )


def certificate_awarded(award: domain.Award) -> Event:
    return Event(
        routing_key="certificate.awarded",
        source=SOURCE,
        subject=award.learner_id,
        data={
            "serial": award.serial,
            "programCode": award.program_code,
            "learnerId": award.learner_id,
            "awardedAt": _instant(award.awarded_at),
        },
    )


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def approval(event: Event) -> domain.Approval:
    data = event.data
    code = data.get("credentialCode")
    return domain.Approval(
        case_id=data["caseId"],
        outcome_id=data["outcomeId"],
        learner_id=data["learnerId"],
        kind=data["kind"],
        credential_code=code.strip().upper() if code else None,
        hours=data.get("hours"),
        achieved_on=date.fromisoformat(data["achievedOn"]),
        decided_at=_when(data.get("decidedAt") or event.time.isoformat()),
    )


async def on_certification_approved(conn: Connection, event: Event) -> None:
    await service_layer.convert(conn, approval(event))


async def on_credits_redeemed(conn: Connection, event: Event) -> None:
    await service_layer.mark(conn, event.data["conversionId"], domain.ConversionStatus.REDEEMED)


async def on_credits_expired(conn: Connection, event: Event) -> None:
    await service_layer.mark(conn, event.data["conversionId"], domain.ConversionStatus.EXPIRED)


async def on_consent_granted(conn: Connection, event: Event) -> None:
    data = event.data
    await conversions.upsert_consent(
        conn,
        data["consentId"],
        data["learnerId"],
        data["institutionId"],
        _when(data["expiresAt"]),
    )


async def on_consent_revoked(conn: Connection, event: Event) -> None:
    data = event.data
    await conversions.revoke_consent(
        conn, data["consentId"], data["learnerId"], data["institutionId"], _when(data["revokedAt"])
    )


def handlers() -> dict[str, Handler]:
    return {
        "certification.approved": on_certification_approved,
        "credits.redeemed": on_credits_redeemed,
        "credits.expired": on_credits_expired,
        "consent.granted": on_consent_granted,
        "consent.revoked": on_consent_revoked,
    }
