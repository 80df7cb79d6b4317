"""Events outcomes publishes, in the shape other services read, and the handlers of
the events it follows (each reads the data and calls the service layer)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cbkit import wire
from cbkit.auth import Role
from cbkit.consumer import Handler
from cbkit.db import Connection
from cbkit.envelope import Event
from services.outcomes.domain import (
    CertificationStep,
    ConsentParties,
    EvidenceFile,
    HeardStep,
    Outcome,
)
from services.outcomes.service_layer import certification, closures, consents
from services.outcomes.service_layer.dependencies import Dependencies

SOURCE = "/services/outcomes"


def evidence_summary(evidence: tuple[EvidenceFile, ...]) -> list[dict[str, Any]]:
    return [
        {
            "id": e.id,
            "sha256": e.sha256,
            "size": e.size,
            "contentType": e.content_type,
            "filename": e.filename,
        }
        for e in evidence
    ]


def _event(routing_key: str, outcome: Outcome, data: dict[str, Any]) -> Event:
    return Event(
        routing_key=routing_key,
        source=SOURCE,
        subject=outcome.learner_id,
        data={"outcomeId": outcome.id, "learnerId": outcome.learner_id, **data},
    )


def outcome_submitted(outcome: Outcome) -> Event:
    return _event(
        "outcome.submitted",
        outcome,
        {
            "kind": outcome.kind.value,
            "title": outcome.title,
            "issuer": outcome.issuer,
            "credentialCode": outcome.credential_code,
            "achievedOn": wire.day(outcome.achieved_on),
            "hours": outcome.hours,
            "submittedAt": wire.instant(outcome.submitted_at),
            "evidence": evidence_summary(outcome.evidence),
        },
    )


def outcome_resubmitted(outcome: Outcome, note: str, at: datetime) -> Event:
    return _event(
        "outcome.resubmitted",
        outcome,
        {
            "note": note,
            "evidence": evidence_summary(outcome.evidence),
            "resubmittedAt": wire.instant(at),
        },
    )


def outcome_withdrawn(outcome: Outcome, at: datetime) -> Event:
    return _event("outcome.withdrawn", outcome, {"withdrawnAt": wire.instant(at)})


def _consent(event: Event) -> ConsentParties:
    data = event.data
    return ConsentParties(
        str(data["consentId"]), str(data["learnerId"]), str(data["institutionId"])
    )


async def on_consent_granted(conn: Connection, event: Event) -> None:
    expires_at = wire.parse_instant(event.data["expiresAt"])
    await consents.record_grant(conn, _consent(event), event.instant("grantedAt"), expires_at)


async def on_consent_revoked(conn: Connection, event: Event) -> None:
    await consents.record_revocation(conn, _consent(event), event.instant("revokedAt"))


async def on_account_closed(conn: Connection, event: Event) -> None:
    """A closed account: a learner's personal data is erased (service_layer/closures.py)."""
    data = event.data
    await closures.close_account(
        conn, str(data["accountId"]), Role(data["role"]), event.instant("closedAt")
    )


def _following(step: CertificationStep) -> Handler:
    """The handler of one certification step: the learner's result follows the case."""

    async def handle(conn: Connection, event: Event) -> None:
        data = event.data
        reviewer_id = data.get("reviewerId")
        heard = HeardStep(
            step=step,
            outcome_id=str(data["outcomeId"]),
            learner_id=str(data["learnerId"]),
            reviewer_id=str(reviewer_id) if reviewer_id is not None else None,
            sequence=int(data["sequence"]),
        )
        await certification.follow_step(conn, heard)

    return handle


on_certification_claimed = _following(CertificationStep.CLAIMED)
on_certification_info_requested = _following(CertificationStep.INFO_REQUESTED)
on_certification_approved = _following(CertificationStep.APPROVED)
on_certification_rejected = _following(CertificationStep.REJECTED)


def handlers(deps: Dependencies) -> dict[str, Handler]:
    return {
        "consent.granted": on_consent_granted,
        "consent.revoked": on_consent_revoked,
        "account.closed": on_account_closed,
        "certification.claimed": on_certification_claimed,
        "certification.info_requested": on_certification_info_requested,
        "certification.approved": on_certification_approved,
        "certification.rejected": on_certification_rejected,
    }
