"""A learner's copy of what outcomes holds about them (`GET /privacy/export`, by
`cbkit.privacy.export_route`): their results with the status certification gave and
their resubmission notes, their files (each with the route the gateway downloads it
from), and our copy of their consents."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from cbkit.db import Connection
from services.outcomes.repository import export
from services.outcomes.service_layer.dependencies import Dependencies


async def collect(
    conn: Connection, deps: Dependencies, learner_id: str
) -> dict[str, list[dict[str, Any]]]:
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        results = await export.results_of(conn, learner_id)
        notes = await export.resubmissions_of(conn, learner_id)
        files = await export.evidence_of(conn, learner_id)
        consents = await export.consents_of(conn, learner_id)
    by_result: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for note in notes:
        by_result[note["outcome_id"]].append({"note": note["note"], "at": note["at"]})
    return {
        "results": [_result(r, by_result[r["id"]]) for r in results],
        "evidence": [_evidence(f) for f in files],
        "consents": [_consent(c) for c in consents],
    }


def _result(row: dict[str, Any], resubmissions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "title": row["title"],
        "issuer": row["issuer"],
        "credentialCode": row["credential_code"],
        "achievedOn": row["achieved_on"],
        "hours": row["hours"],
        "submittedAt": row["submitted_at"],
        "status": row["status"],
        "certification": {
            "status": row["status"],
            "sequence": row["case_sequence"],
            "changedAt": row["status_changed_at"],
        },
        "evidenceIds": list(row["evidence_ids"]),
        "resubmissions": resubmissions,
    }


def _evidence(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "filename": row["filename"],
        "contentType": row["content_type"],
        "size": row["size"],
        "sha256": row["sha256"],
        "uploadedAt": row["uploaded_at"],
        "outcomeIds": list(row["outcome_ids"]),
        "download": f"/evidence/{row['id']}",
    }


def _consent(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "consentId": row["consent_id"],
        "institutionId": row["institution_id"],
        "grantedAt": row["granted_at"],
        "expiresAt": row["expires_at"],
        "revokedAt": row["revoked_at"],
    }
