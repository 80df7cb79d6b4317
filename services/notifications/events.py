"""Events in (notifications publishes none): handlers that read what the other
services publish and hand it to the service layer. Each routing key may have several
handlers, one per concern (the inbox here; webhooks and deadlines add theirs to
`handlers`), run in order in the transaction that records the event, so a redelivered
event changes nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cbkit import wire
from cbkit.auth import Role
from cbkit.consumer import Handler
from cbkit.db import Connection
from cbkit.envelope import Event
from services.notifications.domain import About, AboutType, Account, Kind
from services.notifications.domain.deadlines import CaseState, CaseStep, Conversion, CreditState
from services.notifications.domain.messages import LOT_KINDS
from services.notifications.domain.webhooks import EventType
from services.notifications.service_layer import deadlines, inbox, privacy, webhooks
from services.notifications.service_layer.dependencies import Dependencies

DECISIONS = {
    "certification.approved": Kind.CERTIFIED,
    "certification.rejected": Kind.REJECTED,
    "certification.info_requested": Kind.INFO_REQUESTED,
}
"""The learner's message of each decision on their result."""


def _params(data: Mapping[str, Any], *names: str) -> dict[str, Any]:
    return {name: data.get(name) for name in names if data.get(name) is not None}


def inbox_handlers(deps: Dependencies) -> dict[str, Handler]:
    """The messages learners and institutions get, and what they need to be written."""

    async def on_account_opened(conn: Connection, event: Event) -> None:
        data = event.data
        account = Account(data["accountId"], Role(data["role"]), data.get("displayName"))
        await inbox.hear_account(conn, account)

    async def on_account_closed(conn: Connection, event: Event) -> None:
        data = event.data
        role = Role(data["role"])
        await privacy.close_account(conn, data["accountId"], role, event.instant("closedAt"))

    async def on_outcome_submitted(conn: Connection, event: Event) -> None:
        data = event.data
        await inbox.hear_outcome(conn, data["outcomeId"], data["learnerId"], data["title"])

    async def on_decided(conn: Connection, event: Event) -> None:
        data = event.data
        about = About(AboutType.OUTCOME, data["outcomeId"])
        params = _params(data, "reason", "credentialCode")
        kind = DECISIONS[event.routing_key]
        await inbox.tell_about_outcome(
            conn, deps, str(event.id), data["learnerId"], kind, about, params
        )

    def learner_message(kind: Kind, about: AboutType, key: str, *names: str) -> Handler:
        tell = inbox.tell_lot if kind in LOT_KINDS else inbox.tell

        async def handle(conn: Connection, event: Event) -> None:
            data = event.data
            params = _params(data, *names)
            target = About(about, str(data[key]))
            await tell(conn, deps, str(event.id), data["learnerId"], kind, target, params)

        return handle

    def institution_message(kind: Kind) -> Handler:
        async def handle(conn: Connection, event: Event) -> None:
            data = event.data
            params = {}
            if data.get("expiresAt"):
                params["expiresOn"] = wire.day(deps.clock.day_of(event.instant("expiresAt")))
            about = About(AboutType.CONSENT, data["consentId"])
            await inbox.tell_institution(
                conn,
                deps,
                str(event.id),
                data["institutionId"],
                data["learnerId"],
                kind,
                about,
                params,
            )

        return handle

    credit_params = ("courseCode", "credits")
    return {
        "account.opened": on_account_opened,
        "account.closed": on_account_closed,
        "outcome.submitted": on_outcome_submitted,
        **dict.fromkeys(DECISIONS, on_decided),
        "credits.converted": learner_message(
            Kind.CREDITS_CONVERTED,
            AboutType.CONVERSION,
            "conversionId",
            *credit_params,
            "expiresOn",
        ),
        "credits.revoked": learner_message(
            Kind.CREDITS_REVOKED, AboutType.CONVERSION, "conversionId", *credit_params, "reason"
        ),
        "credits.expired": learner_message(
            Kind.CREDITS_EXPIRED, AboutType.CONVERSION, "conversionId", *credit_params, "expiresOn"
        ),
        "credits.redeemed": learner_message(
            Kind.CREDITS_REDEEMED, AboutType.REDEMPTION, "redemptionId", *credit_params
        ),
        "credits.redemption_reversed": learner_message(
            Kind.REDEMPTION_REVERSED, AboutType.REDEMPTION, "redemptionId", *credit_params, "reason"
        ),
        "certificate.awarded": learner_message(
            Kind.CERTIFICATE_AWARDED, AboutType.CERTIFICATE, "serial", "serial", "programCode"
        ),
        "consent.granted": institution_message(Kind.CONSENT_GRANTED),
        "consent.revoked": institution_message(Kind.CONSENT_REVOKED),
    }


def webhook_handlers(deps: Dependencies) -> dict[str, Handler]:
    """What institutions' webhook endpoints are sent: each type they may subscribe to,
    queued to those the learner's consent covers; the consent copy that decides it (a
    revocation cancels what was queued at once); a closed account's deliveries."""

    def deliver(event_type: EventType) -> Handler:
        async def handle(conn: Connection, event: Event) -> None:
            data = event.data
            await webhooks.hear(conn, deps, str(event.id), event_type, event.time, data)

        return handle

    async def on_consent_granted(conn: Connection, event: Event) -> None:
        data = event.data
        await webhooks.hear_grant(
            conn,
            data["consentId"],
            data["learnerId"],
            data["institutionId"],
            event.instant("grantedAt"),
            event.instant("expiresAt"),
        )
        await deliver(EventType.CONSENT_GRANTED)(conn, event)

    async def on_consent_revoked(conn: Connection, event: Event) -> None:
        data = event.data
        await webhooks.hear_revocation(
            conn,
            deps,
            data["consentId"],
            data["learnerId"],
            data["institutionId"],
            event.instant("revokedAt"),
        )
        await deliver(EventType.CONSENT_REVOKED)(conn, event)

    async def on_account_closed(conn: Connection, event: Event) -> None:
        data = event.data
        await webhooks.close_account(conn, data["accountId"], Role(data["role"]))

    return {
        **{event_type.value: deliver(event_type) for event_type in EventType},
        "consent.granted": on_consent_granted,
        "consent.revoked": on_consent_revoked,
        "account.closed": on_account_closed,
    }


CASE_STEPS = {
    "certification.claimed": CaseState.WAITING,
    "certification.approved": CaseState.CLOSED,
    "certification.rejected": CaseState.CLOSED,
    "certification.info_requested": CaseState.PAUSED,
}
"""Where each of certification's steps leaves a case's deadline."""

CREDIT_STATES = {
    "credits.redeemed": CreditState.REDEEMED,
    "credits.redemption_reversed": CreditState.ACTIVE,
    "credits.revoked": CreditState.REVOKED,
    "credits.expired": CreditState.EXPIRED,
}
"""Where each credit event leaves a conversion's credits."""


def deadline_handlers(deps: Dependencies) -> dict[str, Handler]:
    """The review cases followed for their deadlines (opened by a submission, due as
    certification computes it, held by the reviewer who claimed them, paused, closed),
    the overdue notices, and the conversions followed until their credits expire."""

    async def on_outcome_submitted(conn: Connection, event: Event) -> None:
        data = event.data
        submitted_at = event.instant("submittedAt")
        await deadlines.open_case(conn, deps, data["outcomeId"], data["learnerId"], submitted_at)

    async def on_outcome_resubmitted(conn: Connection, event: Event) -> None:
        at = event.instant("resubmittedAt")
        await deadlines.resubmit(conn, deps, event.data["outcomeId"], at)

    async def on_outcome_withdrawn(conn: Connection, event: Event) -> None:
        await deadlines.withdraw(conn, event.data["outcomeId"])

    async def on_case_step(conn: Connection, event: Event) -> None:
        data = event.data
        step = CaseStep(
            outcome_id=data["outcomeId"],
            learner_id=data["learnerId"],
            case_id=data.get("caseId"),
            sequence=data.get("sequence"),
            state=CASE_STEPS[event.routing_key],
            reviewer_id=data.get("reviewerId"),
            due_on=wire.parse_optional_day(data.get("dueOn")),
        )
        await deadlines.step(conn, deps, step)

    async def on_certification_overdue(conn: Connection, event: Event) -> None:
        data = event.data
        await deadlines.tell_overdue(
            conn,
            deps,
            str(event.id),
            data["outcomeId"],
            data["caseId"],
            data.get("reviewerId"),
            wire.parse_day(data["dueOn"]),
        )

    async def on_credits_converted(conn: Connection, event: Event) -> None:
        data = event.data
        conversion = Conversion(
            id=data["conversionId"],
            learner_id=data["learnerId"],
            course_code=data.get("courseCode"),
            credits=wire.parse_credits(data["credits"]) if data.get("credits") else None,
            expires_on=wire.parse_optional_day(data.get("expiresOn")),
        )
        await deadlines.hear_conversion(conn, conversion)

    async def on_credits_changed(conn: Connection, event: Event) -> None:
        data = event.data
        state = CREDIT_STATES[event.routing_key]
        await deadlines.credits_changed(conn, data["conversionId"], data["learnerId"], state)

    async def on_account_closed(conn: Connection, event: Event) -> None:
        data = event.data
        await deadlines.forget_account(conn, data["accountId"], Role(data["role"]))

    return {
        "outcome.submitted": on_outcome_submitted,
        "outcome.resubmitted": on_outcome_resubmitted,
        "outcome.withdrawn": on_outcome_withdrawn,
        **dict.fromkeys(CASE_STEPS, on_case_step),
        "certification.overdue": on_certification_overdue,
        "credits.converted": on_credits_converted,
        **dict.fromkeys(CREDIT_STATES, on_credits_changed),
        "account.closed": on_account_closed,
    }


def fan_out(*tables: Mapping[str, Handler]) -> dict[str, Handler]:
    """One handler per routing key that runs each table's handler of it in turn, in
    the same transaction."""
    keyed: dict[str, list[Handler]] = {}
    for table in tables:
        for key, handler in table.items():
            keyed.setdefault(key, []).append(handler)

    def chained(chain: list[Handler]) -> Handler:
        if len(chain) == 1:
            return chain[0]

        async def handle(conn: Connection, event: Event) -> None:
            for handler in chain:
                await handler(conn, event)

        return handle

    return {key: chained(chain) for key, chain in keyed.items()}


def handlers(deps: Dependencies) -> dict[str, Handler]:
    """Every event notifications hears, each idempotent (the consumer records it)."""
    return fan_out(inbox_handlers(deps), webhook_handlers(deps), deadline_handlers(deps))
