"""A learner's copy of what outcomes holds about them (`GET /privacy/export`, by
`cbkit.privacy.export_route`): their results with the status certification gave and
their resubmission notes, their files (each with the route the gateway downloads it
from), and our copy of their consents."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from cbkit import wire
from cbkit.db import Connection
from services.outcomes.repository import export
from services.outcomes.service_layer.dependencies import Dependencies


async def collect(
    conn: Connection, deps: Dependencies, learner_id: str
) -> dict[str, list[dict[str, Any]]]:
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        found = await export.records_of(conn, learner_id)
    by_result: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for note in found["resubmissions"]:
        by_result[note["outcome_id"]].append({"note": note["note"], "at": _instant(note["at"])})
    return {
        "results": [_result(r, by_result[r["id"]]) for r in found["results"]],
        "evidence": [_evidence(f) for f in found["evidence"]],
        "consents": [_consent(c) for c in found["consents"]],
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
        "submittedAt": _instant(row["submitted_at"]),
        "status": row["status"],
        "certification": {
            "status": row["status"],
            "sequence": row["case_sequence"],
            "changedAt": _instant(row["status_changed_at"]),
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
        "uploadedAt": _instant(row["uploaded_at"]),
        "outcomeIds": list(row["outcome_ids"]),
        "download": f"/evidence/{row['id']}",
    }


def _consent(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "consentId": row["consent_id"],
        "institutionId": row["institution_id"],
        "grantedAt": _instant(row["granted_at"]),
        "expiresAt": _instant(row["expires_at"]),
        "revokedAt": _instant(row["revoked_at"]),
    }


def _instant(value: datetime | None) -> str | None:
    """Instants as the wire writes them (`...Z`), whatever the JSON encoder would do."""
    return None if value is None else wire.instant(value)
