"""Events accounts publishes, named after their types, and the handlers of the ones it
consumes, which read them into the ledger's terms and call the service layer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cbkit import wire
from cbkit.consumer import Handler
from cbkit.db import Connection
from cbkit.envelope import Event
from services.accounts.domain.accounts import Account
from services.accounts.domain.consents import Consent
from services.accounts.domain.institutions import CatalogCourse
from services.accounts.domain.ledger import Credit, CreditStatus, Redemption, check_credits
from services.accounts.service_layer import feed as feed_service
from services.accounts.service_layer import institutions as institutions_service
from services.accounts.service_layer import ledger as ledger_service
from services.accounts.service_layer.dependencies import Dependencies

SOURCE = "/services/accounts"


def _event(routing_key: str, subject: str, data: dict[str, Any]) -> Event:
    return Event(routing_key=routing_key, source=SOURCE, subject=subject, data=data)


def account_opened(account: Account) -> Event:
    return _event(
        "account.opened",
        account.id,
        {"accountId": account.id, "role": account.role.value, "displayName": account.display_name},
    )


def account_closed(account: Account) -> Event:
    """A learner closed their account: every service erases or anonymises what it holds
    of them."""
    assert account.closed_at is not None
    return _event(
        "account.closed",
        account.id,
        {
            "accountId": account.id,
            "role": account.role.value,
            "closedAt": wire.instant(account.closed_at),
        },
    )


def _consent_event(routing_key: str, consent: Consent, data: dict[str, Any]) -> Event:
    ids = {
        "consentId": consent.id,
        "learnerId": consent.learner_id,
        "institutionId": consent.institution_id,
    }
    return _event(routing_key, consent.learner_id, {**ids, **data})


def consent_granted(consent: Consent) -> Event:
    return _consent_event(
        "consent.granted",
        consent,
        {
            "grantedAt": wire.instant(consent.granted_at),
            "expiresAt": wire.instant(consent.expires_at),
        },
    )


def consent_revoked(consent: Consent) -> Event:
    assert consent.revoked_at is not None
    return _consent_event(
        "consent.revoked", consent, {"revokedAt": wire.instant(consent.revoked_at)}
    )


def _lot_event(routing_key: str, credit: Credit, data: dict[str, Any]) -> Event:
    """An event about one conversion's lot of credits, which closed as `data` says."""
    lot = {
        "conversionId": credit.conversion_id,
        "learnerId": credit.learner_id,
        "courseCode": credit.course_code,
        "credits": wire.credits(credit.credits),
    }
    return _event(routing_key, credit.learner_id, {**lot, **data})


def credits_redeemed(redemption: Redemption, credit: Credit) -> Event:
    return _lot_event(
        "credits.redeemed",
        credit,
        {
            "redemptionId": redemption.id,
            "institutionId": redemption.institution_id,
            "redeemedAt": wire.instant(redemption.redeemed_at),
        },
    )


def credits_redemption_reversed(redemption: Redemption, credit: Credit) -> Event:
    """One lot of a reversed redemption, back with its learner."""
    assert redemption.reversed_at is not None
    return _lot_event(
        "credits.redemption_reversed",
        credit,
        {
            "redemptionId": redemption.id,
            "institutionId": redemption.institution_id,
            "reason": redemption.reversal_reason,
            "reversedAt": wire.instant(redemption.reversed_at),
        },
    )


def credits_expired(credit: Credit, at: datetime) -> Event:
    return _lot_event(
        "credits.expired",
        credit,
        {"expiresOn": wire.optional_day(credit.expires_on), "expiredAt": wire.instant(at)},
    )


def _credit(event: Event, status: CreditStatus) -> Credit:
    data = event.data
    return Credit(
        conversion_id=data["conversionId"],
        learner_id=data["learnerId"],
        course_code=data["courseCode"],
        credits=check_credits(wire.parse_credits(data["credits"])),
        expires_on=wire.parse_optional_day(data.get("expiresOn")),
        status=status,
    )


async def on_credits_converted(conn: Connection, event: Event) -> None:
    credit = _credit(event, CreditStatus.ACTIVE)
    await ledger_service.record_conversion(conn, credit, event.instant("convertedAt"))


async def on_credits_revoked(conn: Connection, event: Event) -> None:
    credit = _credit(event, CreditStatus.REVOKED)
    reason = event.data.get("reason") or "revoked"
    await ledger_service.record_revocation(conn, credit, reason, event.instant("revokedAt"))


async def on_catalog_course_changed(conn: Connection, event: Event) -> None:
    data = event.data
    course = CatalogCourse(
        code=data["code"],
        major_code=data["majorCode"],
        name_zh=data.get("nameZh"),
        name_en=data.get("nameEn"),
        credits=wire.parse_credits(data["credits"]),
        retired_from=wire.parse_optional_day(data.get("retiredFrom")),
        changed_at=event.instant("changedAt"),
    )
    await institutions_service.record_course(conn, course)


def handlers(deps: Dependencies) -> dict[str, Handler]:
    """What accounts consumes; every event of the credit feed is also appended to it."""
    return feed_service.with_feed(
        {
            "credits.converted": on_credits_converted,
            "credits.revoked": on_credits_revoked,
            "catalog.course_changed": on_catalog_course_changed,
        }
    )
