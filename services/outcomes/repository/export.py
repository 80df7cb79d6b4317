"""SQL for a learner's copy of their data (`GET /privacy/export`): rows as they are
stored, read once each, as plain records."""

from __future__ import annotations

import uuid
from typing import Any

from cbkit.db import Connection

QUERIES = {
    # The learner's results, oldest first, with the status copied from certification
    # and the files attached, in order.
    "results": "SELECT o.id, o.kind, o.title, o.issuer, o.credential_code, o.achieved_on,"
    " o.hours, o.status, o.case_sequence, o.status_changed_at, o.submitted_at,"
    " COALESCE((SELECT array_agg(oe.evidence_id ORDER BY oe.position)"
    "   FROM outcome_evidence oe WHERE oe.outcome_id = o.id), '{}') AS evidence_ids"
    " FROM outcomes o WHERE o.learner_id = $1 ORDER BY o.submitted_at, o.id",
    "resubmissions": "SELECT r.outcome_id, r.note, r.at FROM resubmissions r"
    " JOIN outcomes o ON o.id = r.outcome_id WHERE o.learner_id = $1 ORDER BY r.at, r.id",
    # The learner's files, attached or not, with the results holding each.
    "evidence": "SELECT e.id, e.filename, e.content_type, e.size, e.sha256, e.uploaded_at,"
    " COALESCE((SELECT array_agg(oe.outcome_id ORDER BY oe.attached_at)"
    "   FROM outcome_evidence oe WHERE oe.evidence_id = e.id), '{}') AS outcome_ids"
    " FROM evidence e WHERE e.owner_id = $1 ORDER BY e.uploaded_at, e.id",
    # Our copy of the learner's consents (from accounts' events).
    "consents": "SELECT consent_id, institution_id, granted_at, expires_at, revoked_at"
    " FROM consents WHERE learner_id = $1 ORDER BY granted_at NULLS FIRST, consent_id",
}


async def records_of(conn: Connection, learner_id: str) -> dict[str, list[dict[str, Any]]]:
    """The learner's rows of each of QUERIES, by its name."""
    learner = uuid.UUID(learner_id)
    found: dict[str, list[dict[str, Any]]] = {}
    for name, sql in QUERIES.items():
        found[name] = [dict(r) for r in await conn.fetch(sql, learner)]
    return found
