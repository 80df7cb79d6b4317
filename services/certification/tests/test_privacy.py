"""GET /privacy/export: the signed-in learner downloads their cases with their
history (who moved them, decisions, reasons, dates) and this service's copy of their
consents; nobody else's, and only learners."""

from datetime import UTC, datetime, timedelta

import pytest

from cbkit.auth import Role
from cbkit.testing import handled, new_id
from services.certification.tests.conftest import (
    claimed,
    consent_granted,
    decide,
    open_case,
    submitted,
)


async def export(certification, token):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await certification.get("/privacy/export", headers=headers)


async def test_a_learner_downloads_their_cases_with_history_and_consents(certification, bus, stack):
    learner = new_id()
    reviewer = new_id()
    token = stack.token(reviewer, Role.REVIEWER)
    first = submitted(learner, title="幼儿园教师资格证", hours=120)
    case = await claimed(certification, bus, first, token)
    await decide(certification, case["id"], token, "REQUEST_INFO", "the scan is unreadable")
    second = await open_case(certification, bus, submitted(learner, credential_code=None))
    someone_else = await open_case(certification, bus, submitted())
    institution = new_id()
    expires = datetime(2027, 6, 1, tzinfo=UTC)
    granted_at = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    grant = consent_granted(learner, institution, expires, granted_at)
    await bus.resend(grant)
    await handled(certification, grant)

    response = await export(certification, stack.token(learner, Role.LEARNER))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert (body["service"], body["learnerId"]) == ("certification", learner)
    records = body["records"]
    exported = {c["id"]: c for c in records["certifications"]}
    assert set(exported) == {case["id"], second["id"]}
    assert someone_else["id"] not in exported

    mine = exported[case["id"]]
    assert {k: mine[k] for k in ("outcomeId", "status", "reviewerId", "reason", "title")} == {
        "outcomeId": first["outcomeId"],
        "status": "NEEDS_INFO",
        "reviewerId": reviewer,
        "reason": "the scan is unreadable",
        "title": "幼儿园教师资格证",
    }
    assert (mine["kind"], mine["hours"], mine["achievedOn"]) == (
        "QUALIFICATION_CERTIFICATE",
        120,
        "2024-06-30",
    )
    assert mine["dueOn"] == case["dueOn"]
    assert mine["decidedAt"].endswith("Z")
    assert [(s["status"], s["byId"], s["note"]) for s in mine["history"]] == [
        ("PENDING", learner, "submitted"),
        ("IN_REVIEW", reviewer, "claimed"),
        ("NEEDS_INFO", reviewer, "the scan is unreadable"),
    ]
    assert exported[second["id"]]["status"] == "PENDING"
    assert records["consents"] == [
        {
            "consentId": grant.data["consentId"],
            "institutionId": institution,
            "grantedAt": grant.data["grantedAt"],
            "expiresAt": grant.data["expiresAt"],
            "revokedAt": None,
        }
    ]


async def test_a_learner_without_cases_downloads_empty_lists(certification, stack):
    response = await export(certification, stack.token(new_id(), Role.LEARNER))
    assert response.status_code == 200
    assert response.json()["records"] == {"certifications": [], "consents": []}


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 401), (Role.REVIEWER, 403), (Role.ADMIN, 403), (Role.INSTITUTION, 403)],
)
async def test_only_a_signed_in_learner_exports(certification, stack, role, status):
    token = stack.token(new_id(), role) if role else None
    response = await export(certification, token)
    assert response.status_code == status
