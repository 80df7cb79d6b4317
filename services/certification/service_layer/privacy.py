"""What a learner downloads of certification (`GET /privacy/export`): their cases
with their history (who moved them, the decisions, the reasons given, the dates)
and this service's copy of their consents."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from cbkit import wire
from cbkit.db import Connection
from services.certification.domain import Case, Step
from services.certification.repository import cases, consents, history
from services.certification.service_layer.dependencies import Dependencies


async def export(
    conn: Connection, deps: Dependencies, learner_id: str
) -> Mapping[str, Sequence[Mapping[str, Any]]]:
    found = await cases.cases_of_learner(conn, learner_id)
    steps: dict[str, list[Step]] = {}
    for case_id, step in await history.history_of_learner(conn, learner_id):
        steps.setdefault(case_id, []).append(step)
    return {
        "certifications": [_case(case, steps.get(case.id, [])) for case in found],
        "consents": [
            {
                "consentId": consent.id,
                "institutionId": consent.institution_id,
                "grantedAt": _instant(consent.granted_at),
                "expiresAt": _instant(consent.expires_at),
                "revokedAt": _instant(consent.revoked_at),
            }
            for consent in await consents.of_learner(conn, learner_id)
        ],
    }


def _case(case: Case, steps: list[Step]) -> dict[str, Any]:
    return {
        "id": case.id,
        "outcomeId": case.outcome_id,
        "kind": case.kind,
        "title": case.title,
        "credentialCode": case.credential_code,
        "achievedOn": case.achieved_on,
        "hours": case.hours,
        "status": case.status,
        "reviewerId": case.reviewer_id,
        "submittedOn": case.submitted_on,
        "dueOn": case.due_on,
        "decidedAt": _instant(case.decided_at),
        "reason": case.reason,
        "verifiedCredentialCode": case.verified_credential_code,
        "history": [
            {
                "status": step.status,
                "byId": step.by_id,
                "at": wire.instant(step.at),
                "note": step.note,
            }
            for step in steps
        ],
    }


def _instant(value: datetime | None) -> str | None:
    """Instants as on the wire (UTC, `Z`), as the events write them."""
    return None if value is None else wire.instant(value)
