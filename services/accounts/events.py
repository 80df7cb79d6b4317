"""Events accounts publishes, and the ones it consumes read into the ledger's terms."""

from __future__ import annotations

from datetime import date, datetime

from cbkit.consumer import Handler
from cbkit.db import Connection
from cbkit.envelope import Event
from services.accounts.domain.accounts import Account
from services.accounts.domain.consents import Consent
from services.accounts.domain.ledger import Credit, CreditStatus, Redemption, parse_credits
from services.accounts.service_layer import ledger as ledger_service

SOURCE = "/services/accounts"


def account_opened(account: Account) -> Event:
    return Event(
        routing_key="account.opened",
        source=SOURCE,
        subject=account.id,
        data={
            "accountId": account.id,
            "role": account.role.value,
            "displayName": account.display_name,
        },
    )


def consent_granted(consent: Consent) -> Event:
    return Event(
        routing_key="consent.granted",
        source=SOURCE,
        subject=consent.learner_id,
        data={
            "consentId": consent.id,
            "learnerId": consent.learner_id,
            "institutionId": consent.institution_id,
            "grantedAt": consent.granted_at.isoformat(),
            "expiresAt": consent.expires_at.isoformat(),
        },
    )


def consent_revoked(consent: Consent) -> Event:
    assert consent.revoked_at is not None
    return Event(
        routing_key="consent.revoked",
        source=SOURCE,
        subject=consent.learner_id,
        data={
            "consentId": consent.id,
            "learnerId": consent.learner_id,
            "institutionId": consent.institution_id,
            "revokedAt": consent.revoked_at.isoformat(),
        },
    )


def credits_redeemed(redemption: Redemption, credit: Credit) -> Event:
    return Event(
        routing_key="credits.redeemed",
        source=SOURCE,
        subject=redemption.learner_id,
        data={
            "redemptionId": redemption.id,
            "conversionId": credit.conversion_id,
            "learnerId": redemption.learner_id,
            "institutionId": redemption.institution_id,
            "courseCode": credit.course_code,
            "credits": credit.credits,
            "redeemedAt": redemption.redeemed_at.isoformat(),
        },
    )


def credits_expired(credit: Credit, at: datetime) -> Event:
    return Event(
        routing_key="credits.expired",
        source=SOURCE,
        subject=credit.learner_id,
        data={
            "conversionId": credit.conversion_id,
            "learnerId": credit.learner_id,
            "courseCode": credit.course_code,
            "credits": credit.credits,
            "expiresOn": credit.expires_on.isoformat() if credit.expires_on else None,
            "expiredAt": at.isoformat(),
        },
    )


def _credit(event: Event, status: CreditStatus) -> Credit:
    data = event.data
    expires_on = data.get("expiresOn")
    return Credit(
        conversion_id=data["conversionId"],
        learner_id=data["learnerId"],
        course_code=data["courseCode"],
        credits=parse_credits(data["credits"]),
        expires_on=date.fromisoformat(expires_on) if expires_on else None,
        status=status,
    )


def _instant(event: Event, name: str) -> datetime:
    value = event.data.get(name)
    return datetime.fromisoformat(value) if value else event.time


def handlers() -> dict[str, Handler]:
    async def on_converted(conn: Connection, event: Event) -> None:
        credit = _credit(event, CreditStatus.ACTIVE)
        await ledger_service.record_conversion(conn, credit, _instant(event, "convertedAt"))

    async def on_revoked(conn: Connection, event: Event) -> None:
        credit = _credit(event, CreditStatus.REVOKED)
        reason = event.data.get("reason") or "revoked"
        await ledger_service.record_revocation(conn, credit, reason, _instant(event, "revokedAt"))

    return {"credits.converted": on_converted, "credits.revoked": on_revoked}
