"""GET /privacy/export: the signed-in learner's results (every field, the status
certification gave, resubmission notes), files (each with its download route) and
consents, never anyone else's."""

from datetime import UTC, datetime

from cbkit import wire
from cbkit.auth import Role
from cbkit.testing import gql, new_id
from services.outcomes.tests.conftest import (
    RESUBMIT,
    Consent,
    add_result,
    download,
    learner,
    pdf,
    upload,
    uploaded,
)


async def exported(client, token, language=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if language:
        headers["Accept-Language"] = language
    return await client.get("/privacy/export", headers=headers)


async def test_a_learner_exports_their_results_files_and_consents(outcomes, bus, stack, clock):
    learner_id, token = learner(stack)
    certificate = (await upload(outcomes, token, pdf(), filename="教师资格证.pdf")).json()
    first = await add_result(outcomes, token, evidenceIds=[certificate["id"]], hours=40)
    await bus.certification_step(outcomes, "info_requested", (first["id"], learner_id), 2)
    scan = await uploaded(outcomes, token)
    answer = {"id": first["id"], "note": "the stamped copy", "ev": [scan]}
    assert "errors" not in await gql(outcomes, RESUBMIT, answer, token)
    second = await add_result(outcomes, token, kind="WORK_EXPERIENCE", title="Assistant")
    loose = await uploaded(outcomes, token)
    consent = Consent(new_id(), learner_id, new_id())
    expires = datetime(2030, 1, 1, tzinfo=UTC)
    await consent.granted(bus, outcomes, expires)
    someone_else = learner(stack)[1]
    await add_result(outcomes, someone_else, title="Not mine")

    clock.frozen_at = datetime(2026, 12, 1, 8, tzinfo=UTC)
    response = await exported(outcomes, token)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["service"] == "outcomes"
    assert body["learnerId"] == learner_id
    assert body["exportedAt"] == "2026-12-01T08:00:00Z"
    records = body["records"]
    assert set(records) == {"results", "evidence", "consents"}

    results = {r["id"]: r for r in records["results"]}
    assert list(results) == [first["id"], second["id"]]
    one = results[first["id"]]
    assert one | {"submittedAt": None, "certification": None} == {
        "id": first["id"],
        "kind": "QUALIFICATION_CERTIFICATE",
        "title": "Preschool teacher qualification",
        "issuer": "Chongqing Education Commission",
        "credentialCode": "CN-PRESCHOOL-TEACHER",
        "achievedOn": "2024-06-30",
        "hours": 40,
        "submittedAt": None,
        "status": "SUBMITTED",
        "certification": None,
        "evidenceIds": [certificate["id"], scan],
        "resubmissions": [{"note": "the stamped copy", "at": one["resubmissions"][0]["at"]}],
    }
    assert one["certification"]["status"] == "SUBMITTED"
    assert one["certification"]["sequence"] == 2
    instants = [one["certification"]["changedAt"], one["submittedAt"]]
    instants.append(one["resubmissions"][0]["at"])
    assert all(i.endswith("Z") and wire.parse_instant(i) for i in instants)  # UTC, as wired
    assert results[second["id"]]["resubmissions"] == []
    assert results[second["id"]]["title"] == "Assistant"

    files = {f["id"]: f for f in records["evidence"]}
    assert set(files) == {certificate["id"], scan, loose, second["evidence"][0]["id"]}
    named = files[certificate["id"]]
    assert named | {"uploadedAt": None} == {
        "id": certificate["id"],
        "filename": "教师资格证.pdf",
        "contentType": "application/pdf",
        "size": certificate["size"],
        "sha256": certificate["sha256"],
        "uploadedAt": None,
        "outcomeIds": [first["id"]],
        "download": f"/evidence/{certificate['id']}",
    }
    assert files[loose]["outcomeIds"] == []
    fetched = await download(outcomes, certificate["id"], token)
    assert fetched.status_code == 200 and fetched.content.startswith(b"%PDF")
    assert named["download"] == fetched.request.url.path

    assert records["consents"] == [
        {
            "consentId": consent.id,
            "institutionId": consent.institution_id,
            "grantedAt": records["consents"][0]["grantedAt"],
            "expiresAt": wire.instant(expires),
            "revokedAt": None,
        }
    ]
    assert "Not mine" not in response.text


async def test_only_a_signed_in_learner_exports_and_only_their_own(outcomes, stack):
    assert (await exported(outcomes, None)).status_code == 401
    chinese = await exported(outcomes, None, "zh-CN")
    assert chinese.json()["error"] == "请先登录：此操作需要持有者令牌"
    for role in (Role.ADMIN, Role.INSTITUTION, Role.REVIEWER):
        assert (await exported(outcomes, stack.token(new_id(), role))).status_code == 403
    newcomer = await exported(outcomes, learner(stack)[1])
    assert newcomer.json()["records"] == {"results": [], "evidence": [], "consents": []}


async def test_the_evidence_routes_answer_in_the_asked_language(outcomes, stack):
    _, token = learner(stack)
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "zh-CN,en;q=0.5"}
    empty = await outcomes.post(
        "/evidence", files={"file": ("a.pdf", b"", "application/pdf")}, headers=headers
    )
    assert (empty.status_code, empty.json()) == (
        400,
        {"error": "file：文件是空的", "code": "BAD_USER_INPUT", "field": "file"},
    )
    missing = await outcomes.get(f"/evidence/{new_id()}", headers=headers)
    assert missing.status_code == 404
    assert missing.json()["error"].startswith("没有 id 为")
    english = await outcomes.get(
        f"/evidence/{new_id()}", headers={"Authorization": f"Bearer {token}"}
    )
    assert english.json()["error"].startswith("no evidence with id")
