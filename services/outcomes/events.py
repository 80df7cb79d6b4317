"""Events outcomes publishes, in the shape other services read."""

from __future__ import annotations

from cbkit.envelope import Event
from services.outcomes.domain import Outcome

SOURCE = "/services/outcomes"


def outcome_submitted(outcome: Outcome) -> Event:
    return Event(
        routing_key="outcome.submitted",
        source=SOURCE,
        subject=outcome.learner_id,
        data={
            "outcomeId": outcome.id,
            "learnerId": outcome.learner_id,
            "kind": outcome.kind.value,
            "title": outcome.title,
            "issuer": outcome.issuer,
            "credentialCode": outcome.credential_code,
            "achievedOn": outcome.achieved_on.isoformat(),
            "hours": outcome.hours,
            "submittedAt": outcome.submitted_at.isoformat(),
            "evidence": [],
        },
    )
