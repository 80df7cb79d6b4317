"""Who may read a file (GET /evidence/{id}) and a result (outcome(id)): the owner,
reviewers and admins, institutions under the learner's consent; nobody else."""

from datetime import UTC, datetime, timedelta

from cbkit.auth import Role
from services.outcomes.tests.conftest import (
    OUTCOME,
    add_result,
    gql,
    handled,
    learner,
    new_id,
    pdf,
    refusal,
    upload,
)


async def get(client, evidence_id, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await client.get(f"/evidence/{evidence_id}", headers=headers)


async def consent(bus, out, learner_id, institution_id, expires_in=timedelta(days=30)):
    now = datetime.now(UTC)
    consent_id = new_id()
    event = await bus.send(
        "consent.granted",
        {
            "consentId": consent_id,
            "learnerId": learner_id,
            "institutionId": institution_id,
            "grantedAt": now.isoformat(),
            "expiresAt": (now + expires_in).isoformat(),
        },
    )
    await handled(out, event)
    return consent_id


async def revoke(bus, out, consent_id, learner_id, institution_id):
    event = await bus.send(
        "consent.revoked",
        {
            "consentId": consent_id,
            "learnerId": learner_id,
            "institutionId": institution_id,
            "revokedAt": datetime.now(UTC).isoformat(),
        },
    )
    await handled(out, event)


async def attached_file(out, token):
    """(evidence id, its bytes, result id) of a file deposited with a result."""
    content = pdf()
    response = await upload(out, token, content, filename='Teacher "A".pdf')
    evidence_id = response.json()["id"]
    outcome = await add_result(out, token, evidenceIds=[evidence_id])
    return evidence_id, content, outcome["id"]


async def test_the_owner_gets_the_bytes_as_a_download_that_is_never_sniffed(out, stack):
    _, token = learner(stack)
    evidence_id, content, _ = await attached_file(out, token)
    response = await get(out, evidence_id, token)
    assert response.status_code == 200
    assert response.content == content
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-length"] == str(len(content))
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "Teacher 'A'.pdf" in response.headers["content-disposition"]
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_the_owner_gets_an_upload_not_yet_attached(out, stack):
    _, token = learner(stack)
    content = pdf()
    evidence_id = (await upload(out, token, content)).json()["id"]
    assert (await get(out, evidence_id, token)).content == content


async def test_another_learner_gets_nothing(out, stack):
    _, owner = learner(stack)
    evidence_id, _, outcome_id = await attached_file(out, owner)
    _, stranger = learner(stack)
    response = await get(out, evidence_id, stranger)
    assert response.status_code == 404
    assert b"%PDF" not in response.content
    assert refusal(await gql(out, OUTCOME, {"id": outcome_id}, stranger))[0] == "NOT_FOUND"


async def test_reviewers_read_files_of_results_but_not_loose_uploads(out, stack):
    _, owner = learner(stack)
    evidence_id, content, outcome_id = await attached_file(out, owner)
    loose = (await upload(out, owner, pdf())).json()["id"]
    reviewer = stack.token(new_id(), Role.REVIEWER)
    assert (await get(out, evidence_id, reviewer)).content == content
    assert (await get(out, loose, reviewer)).status_code == 404
    seen = await gql(out, OUTCOME, {"id": outcome_id}, reviewer)
    assert seen["data"]["outcome"]["evidence"] == [{"id": evidence_id}]


async def test_admins_read_everything(out, stack):
    _, owner = learner(stack)
    evidence_id, content, outcome_id = await attached_file(out, owner)
    loose = (await upload(out, owner, pdf())).json()["id"]
    admin = stack.token(new_id(), Role.ADMIN)
    assert (await get(out, evidence_id, admin)).content == content
    assert (await get(out, loose, admin)).status_code == 200
    assert (await gql(out, OUTCOME, {"id": outcome_id}, admin))["data"]["outcome"]["id"]


async def test_an_institution_reads_only_while_the_learner_consents(out, stack, bus):
    learner_id, owner = learner(stack)
    evidence_id, content, outcome_id = await attached_file(out, owner)
    institution_id = new_id()
    institution = stack.token(institution_id, Role.INSTITUTION)
    assert (await get(out, evidence_id, institution)).status_code == 404
    assert refusal(await gql(out, OUTCOME, {"id": outcome_id}, institution))[0] == "NOT_FOUND"

    consent_id = await consent(bus, out, learner_id, institution_id)
    assert (await get(out, evidence_id, institution)).content == content
    seen = await gql(out, OUTCOME, {"id": outcome_id}, institution)
    assert seen["data"]["outcome"]["id"] == outcome_id
    other_institution = stack.token(new_id(), Role.INSTITUTION)
    assert (await get(out, evidence_id, other_institution)).status_code == 404

    await revoke(bus, out, consent_id, learner_id, institution_id)
    assert (await get(out, evidence_id, institution)).status_code == 404
    assert refusal(await gql(out, OUTCOME, {"id": outcome_id}, institution))[0] == "NOT_FOUND"


async def test_an_expired_consent_or_a_revocation_heard_first_gives_nothing(out, stack, bus):
    learner_id, owner = learner(stack)
    evidence_id, _, _ = await attached_file(out, owner)
    institution_id = new_id()
    institution = stack.token(institution_id, Role.INSTITUTION)
    await consent(bus, out, learner_id, institution_id, expires_in=timedelta(seconds=-1))
    assert (await get(out, evidence_id, institution)).status_code == 404

    consent_id = new_id()
    await revoke(bus, out, consent_id, learner_id, institution_id)
    granted_late = await bus.send(
        "consent.granted",
        {
            "consentId": consent_id,
            "learnerId": learner_id,
            "institutionId": institution_id,
            "grantedAt": datetime.now(UTC).isoformat(),
            "expiresAt": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
        },
    )
    await handled(out, granted_late)
    assert (await get(out, evidence_id, institution)).status_code == 404


async def test_anonymous_bad_token_and_unknown_ids(out, stack):
    _, owner = learner(stack)
    evidence_id, _, outcome_id = await attached_file(out, owner)
    assert (await get(out, evidence_id)).status_code == 401
    assert (await get(out, evidence_id, "forged")).status_code == 401
    expired = stack.token(new_id(), Role.ADMIN, expires_in=timedelta(seconds=-60))
    assert (await get(out, evidence_id, expired)).status_code == 401
    assert (await get(out, new_id(), owner)).status_code == 404
    assert (await get(out, "not-a-uuid", owner)).status_code == 404
    assert refusal(await gql(out, OUTCOME, {"id": outcome_id}))[0] == "UNAUTHENTICATED"
