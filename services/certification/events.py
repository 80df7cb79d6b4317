"""Events out (certification.*) and in (outcome.*, consent.*, account.closed):
builders named after the event type, and handlers that read the outcome, consent
and closure events and hand them to the service layer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from cbkit import wire
from cbkit.auth import Role
from cbkit.consumer import Handler
from cbkit.db import Connection
from cbkit.envelope import Event
from services.certification.domain import Case, Consent, Decision, SubmittedOutcome
from services.certification.service_layer import closures, consents, outcomes
from services.certification.service_layer.dependencies import Dependencies

SOURCE = "/services/certification"


def _event(routing_key: str, case: Case, data: dict[str, Any]) -> Event:
    return Event(
        routing_key=routing_key,
        source=SOURCE,
        subject=case.learner_id,
        data={"caseId": case.id, "outcomeId": case.outcome_id, "learnerId": case.learner_id} | data,
    )


def certification_claimed(case: Case, at: datetime) -> Event:
    return _event(
        "certification.claimed",
        case,
        {"reviewerId": case.reviewer_id, "sequence": case.sequence, "at": wire.instant(at)},
    )


def _decided(routing_key: str, case: Case) -> Event:
    """Everything outcomes and conversion need, so neither calls back."""
    assert case.decided_at is not None
    return _event(
        routing_key,
        case,
        {
            "reviewerId": case.reviewer_id,
            "kind": case.kind,
            "credentialCode": case.verified_credential_code,
            "claimedCredentialCode": case.credential_code,
            "hours": case.hours,
            "achievedOn": wire.day(case.achieved_on),
            "decidedAt": wire.instant(case.decided_at),
            "reason": case.reason,
            "dueOn": wire.day(case.due_on),
            "sequence": case.sequence,
        },
    )


def certification_approved(case: Case) -> Event:
    return _decided("certification.approved", case)


def certification_rejected(case: Case) -> Event:
    return _decided("certification.rejected", case)


def certification_info_requested(case: Case) -> Event:
    return _decided("certification.info_requested", case)


DECIDED: dict[Decision, Callable[[Case], Event]] = {
    Decision.APPROVE: certification_approved,
    Decision.REJECT: certification_rejected,
    Decision.REQUEST_INFO: certification_info_requested,
}
"""The event each decision publishes."""


def certification_overdue(case: Case) -> Event:
    return _event(
        "certification.overdue",
        case,
        {"reviewerId": case.reviewer_id, "dueOn": wire.day(case.due_on)},
    )


def submitted_outcome(event: Event) -> SubmittedOutcome:
    """What this service keeps of `outcome.submitted`."""
    data = event.data
    return SubmittedOutcome(
        outcome_id=data["outcomeId"],
        learner_id=data["learnerId"],
        kind=data["kind"],
        title=data["title"],
        credential_code=data.get("credentialCode"),
        achieved_on=wire.parse_day(data["achievedOn"]),
        hours=data.get("hours"),
        submitted_at=event.instant("submittedAt"),
    )


def consent(event: Event, **heard: datetime) -> Consent:
    """What this service keeps of a `consent.*` event: whose consent to whom, and `heard`."""
    data = event.data
    return Consent(data["consentId"], data["learnerId"], data["institutionId"], **heard)


def handlers(deps: Dependencies) -> dict[str, Handler]:
    """Outcome and consent events, each idempotent and safe to receive twice or out of order."""

    async def on_outcome_submitted(conn: Connection, event: Event) -> None:
        await outcomes.open_case(conn, submitted_outcome(event), deps.calendar)

    async def on_outcome_resubmitted(conn: Connection, event: Event) -> None:
        data = event.data
        at = event.instant("resubmittedAt")
        await outcomes.resubmit(conn, data["outcomeId"], at, data.get("note"), deps.calendar)

    async def on_outcome_withdrawn(conn: Connection, event: Event) -> None:
        await outcomes.withdraw(conn, event.data["outcomeId"], event.instant("withdrawnAt"))

    async def on_consent_granted(conn: Connection, event: Event) -> None:
        expires_at = wire.parse_instant(event.data["expiresAt"])
        grant = consent(event, granted_at=event.instant("grantedAt"), expires_at=expires_at)
        await consents.grant(conn, grant)

    async def on_consent_revoked(conn: Connection, event: Event) -> None:
        await consents.revoke(conn, consent(event, revoked_at=event.instant("revokedAt")))

    async def on_account_closed(conn: Connection, event: Event) -> None:
        data = event.data
        role = Role(data["role"])
        await closures.close_account(conn, data["accountId"], role, event.instant("closedAt"))

    return {
        "account.closed": on_account_closed,
        "outcome.submitted": on_outcome_submitted,
        "outcome.resubmitted": on_outcome_resubmitted,
        "outcome.withdrawn": on_outcome_withdrawn,
        "consent.granted": on_consent_granted,
        "consent.revoked": on_consent_revoked,
    }
