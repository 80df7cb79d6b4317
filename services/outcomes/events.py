"""Events outcomes publishes, in the shape other services read, and the
handlers of the events it follows."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from cbkit.consumer import Handler
from cbkit.db import Connection
from cbkit.envelope import Event
from services.outcomes import domain
from services.outcomes.domain import EvidenceFile, Outcome
from services.outcomes.repository import consents, outcomes

log = logging.getLogger(__name__)

SOURCE = "/services/outcomes"


def _now() -> str:
    return datetime.now(UTC).isoformat()


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
            "achievedOn": outcome.achieved_on.isoformat(),
            "hours": outcome.hours,
            "submittedAt": outcome.submitted_at.isoformat(),
            "evidence": evidence_summary(outcome.evidence),
        },
    )


def outcome_resubmitted(outcome: Outcome, note: str) -> Event:
    return _event(
        "outcome.resubmitted",
        outcome,
        {"note": note, "evidence": evidence_summary(outcome.evidence), "resubmittedAt": _now()},
    )


def outcome_withdrawn(outcome: Outcome) -> Event:
    return _event("outcome.withdrawn", outcome, {"withdrawnAt": _now()})


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def on_consent_granted(conn: Connection, event: Event) -> None:
    data = event.data
    await consents.granted(
        conn,
        uuid.UUID(data["consentId"]),
        uuid.UUID(data["learnerId"]),
        uuid.UUID(data["institutionId"]),
        _instant(data["expiresAt"]),
    )


async def on_consent_revoked(conn: Connection, event: Event) -> None:
    data = event.data
    await consents.revoked(
        conn,
        uuid.UUID(data["consentId"]),
        uuid.UUID(data["learnerId"]),
        uuid.UUID(data["institutionId"]),
        _instant(data.get("revokedAt") or event.time.isoformat()),
    )


def _certification_handler(step: domain.CertificationStep) -> Handler:
    """Show the learner what certification did, unless a newer step shows already."""

    async def handle(conn: Connection, event: Event) -> None:
        outcome_id, sequence = str(event.data["outcomeId"]), int(event.data["sequence"])
        outcome = await outcomes.outcome_for_update(conn, outcome_id)
        if outcome is None:
            log.warning("%s for unknown outcome %s ignored", step.value, outcome_id)
            return
        current = domain.Progress(outcome.status, outcome.case_sequence)
        progress = domain.follow(current, step, sequence)
        if progress is not None:
            await outcomes.set_status(conn, outcome.id, progress.status, progress.sequence)

    return handle


def handlers() -> dict[str, Handler]:
    return {
        "consent.granted": on_consent_granted,
        "consent.revoked": on_consent_revoked,
        **{step.value: _certification_handler(step) for step in domain.CertificationStep},
    }
