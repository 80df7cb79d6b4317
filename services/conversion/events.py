"""Events conversion publishes (credits converted and revoked, certificate awarded)
and the handlers of those it consumes, read into the domain's terms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cbkit import wire
from cbkit.consumer import Handler
from cbkit.db import Connection
from cbkit.envelope import Event
from services.conversion import domain
from services.conversion.service_layer import consents, conversions, outcomes, privacy
from services.conversion.service_layer.dependencies import Dependencies
from services.conversion.service_layer.records import by_api_name

SOURCE = "/services/conversion"


def _event(routing_key: str, data: dict[str, Any]) -> Event:
    """An event about the learner its data names: the learner is its subject, so a
    consumer handles one learner's events in order."""
    return Event(routing_key=routing_key, source=SOURCE, subject=data["learnerId"], data=data)


def credits_converted(conversion: domain.Conversion) -> Event:
    return _event(
        "credits.converted",
        {
            "conversionId": conversion.id,
            **by_api_name(conversion, ("learner_id", "outcome_id", "course_code", "major_code")),
            "credits": wire.credits(conversion.credits),
            "ruleId": conversion.rule_id,
            "expiresOn": wire.optional_day(conversion.expires_on),
            "convertedAt": wire.instant(conversion.converted_at),
        },
    )


def credits_revoked(conversion: domain.Conversion, reason: str, at: datetime) -> Event:
    return _event(
        "credits.revoked",
        {
            "conversionId": conversion.id,
            **by_api_name(conversion, ("learner_id", "course_code")),
            "credits": wire.credits(conversion.credits),
            "reason": reason,
            "revokedAt": wire.instant(at),
        },
    )


def certificate_awarded(award: domain.Award) -> Event:
    return _event(
        "certificate.awarded",
        {
            **by_api_name(award, ("serial", "program_code", "learner_id")),
            "awardedAt": wire.instant(award.awarded_at),
        },
    )


def catalog_course_changed(course: domain.Course, at: datetime) -> Event:
    """A course created, changed or retired: accounts keeps a copy of the courses."""
    return Event(
        routing_key="catalog.course_changed",
        source=SOURCE,
        subject=course.code,
        data={
            **by_api_name(course, ("code", "major_code", "name_zh")),
            "nameEn": course.name,
            "credits": wire.credits(course.credits),
            "retiredFrom": wire.optional_day(course.retired_from),
            "changedAt": wire.instant(at),
        },
    )


def approval(event: Event) -> domain.Approval:
    """A `certification.approved` event in this service's terms."""
    data = event.data
    code = data.get("credentialCode")
    return domain.Approval(
        case_id=data["caseId"],
        outcome_id=data["outcomeId"],
        learner_id=data["learnerId"],
        kind=data["kind"],
        credential_code=code.strip().upper() if code else None,
        hours=data.get("hours"),
        achieved_on=wire.parse_day(data["achievedOn"]),
        decided_at=event.instant("decidedAt"),
    )


def consent(event: Event) -> domain.Consent:
    data = event.data
    return domain.Consent(data["consentId"], data["learnerId"], data["institutionId"])


def consent_grant(event: Event) -> domain.ConsentGrant:
    """A `consent.granted` event: the grant, ordered by its grantedAt, then its event's time."""
    expires_at = wire.parse_instant(event.data["expiresAt"])
    return domain.ConsentGrant(consent(event), event.instant("grantedAt"), expires_at, event.time)


def handlers(deps: Dependencies) -> dict[str, Handler]:
    async def on_certification_approved(conn: Connection, event: Event) -> None:
        approved = approval(event)
        on = deps.clock.day_of(approved.decided_at)
        await conversions.convert(conn, approved, deps.clock.now(), on)

    async def on_credits_redeemed(conn: Connection, event: Event) -> None:
        redeemed = domain.ConversionStatus.REDEEMED
        await conversions.mark(conn, event.data["conversionId"], redeemed)

    async def on_credits_expired(conn: Connection, event: Event) -> None:
        expired = domain.ConversionStatus.EXPIRED
        await conversions.mark(conn, event.data["conversionId"], expired)

    async def on_credits_redemption_reversed(conn: Connection, event: Event) -> None:
        await conversions.redemption_reversed(conn, event.data["conversionId"])

    async def on_account_closed(conn: Connection, event: Event) -> None:
        data = event.data
        closed_at = event.instant("closedAt")
        await privacy.close_account(conn, data["accountId"], data["role"], closed_at)

    async def on_outcome_submitted(conn: Connection, event: Event) -> None:
        await outcomes.submitted(conn, event.data["outcomeId"], event.data["learnerId"])

    async def on_consent_granted(conn: Connection, event: Event) -> None:
        await consents.grant(conn, consent_grant(event))

    async def on_consent_revoked(conn: Connection, event: Event) -> None:
        await consents.revoke(conn, consent(event), event.instant("revokedAt"))

    return {
        "outcome.submitted": on_outcome_submitted,
        "certification.approved": on_certification_approved,
        "credits.redeemed": on_credits_redeemed,
        "credits.expired": on_credits_expired,
        "credits.redemption_reversed": on_credits_redemption_reversed,
        "account.closed": on_account_closed,
        "consent.granted": on_consent_granted,
        "consent.revoked": on_consent_revoked,
    }
