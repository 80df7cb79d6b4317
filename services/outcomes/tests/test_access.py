"""Who may read a file (GET /evidence/{id}) and a result (outcome(id)): the owner,
reviewers and admins, institutions under the learner's consent; nobody else."""

from datetime import UTC, datetime, timedelta

from cbkit import wire
from cbkit.auth import Role
from cbkit.testing import gql, handled, new_id
from services.outcomes.tests.conftest import OUTCOME, add_result, learner, pdf, refusal, upload


async def get(client, evidence_id, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await client.get(f"/evidence/{evidence_id}", headers=headers)


async def consent_event(bus, outcomes, routing_key, consent_id, learner_id, institution_id, **at):
    """Send a consent event as accounts would, once handled; `at` names its instants."""
    data = {"consentId": consent_id, "learnerId": learner_id, "institutionId": institution_id}
    event = await bus.send(routing_key, data | {k: wire.instant(v) for k, v in at.items()})
    await handled(outcomes, event)


async def consent(
    bus, outcomes, learner_id, institution_id, expires_in=timedelta(days=30), consent_id=None
):
    now = datetime.now(UTC)
    consent_id = consent_id or new_id()
    await consent_event(
        bus,
        outcomes,
        "consent.granted",
        consent_id,
        learner_id,
        institution_id,
        grantedAt=now,
        expiresAt=now + expires_in,
    )
    return consent_id


async def revoke(bus, outcomes, *consent):
    """`consent` is the consent's id, its learner and its institution."""
    await consent_event(bus, outcomes, "consent.revoked", *consent, revokedAt=datetime.now(UTC))


async def attached_file(outcomes, token):
    """(evidence id, its bytes, result id) of a file deposited with a result."""
    content = pdf()
    response = await upload(outcomes, token, content, filename='Teacher "A".pdf')
    evidence_id = response.json()["id"]
    outcome = await add_result(outcomes, token, evidenceIds=[evidence_id])
    return evidence_id, content, outcome["id"]


async def test_the_owner_gets_the_bytes_as_a_download_that_is_never_sniffed(outcomes, stack):
    _, token = learner(stack)
    evidence_id, content, _ = await attached_file(outcomes, token)
    response = await get(outcomes, evidence_id, token)
    assert response.status_code == 200
    assert response.content == content
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-length"] == str(len(content))
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "Teacher 'A'.pdf" in response.headers["content-disposition"]
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_the_owner_gets_an_upload_not_yet_attached(outcomes, stack):
    _, token = learner(stack)
    content = pdf()
    evidence_id = (await upload(outcomes, token, content)).json()["id"]
    assert (await get(outcomes, evidence_id, token)).content == content


async def test_another_learner_gets_nothing(outcomes, stack):
    _, owner = learner(stack)
    evidence_id, _, outcome_id = await attached_file(outcomes, owner)
    _, stranger = learner(stack)
    response = await get(outcomes, evidence_id, stranger)
    assert response.status_code == 404
    assert b"%PDF" not in response.content
    assert refusal(await gql(outcomes, OUTCOME, {"id": outcome_id}, stranger))[0] == "NOT_FOUND"


async def attached_and_loose(outcomes, stack):
    """(evidence id, its bytes, result id) as `attached_file` gives them, and the id of
    another file of the same learner in no result."""
    _, owner = learner(stack)
    evidence_id, content, outcome_id = await attached_file(outcomes, owner)
    loose = (await upload(outcomes, owner, pdf())).json()["id"]
    return evidence_id, content, outcome_id, loose


async def test_reviewers_read_files_of_results_but_not_loose_uploads(outcomes, stack):
    evidence_id, content, outcome_id, loose = await attached_and_loose(outcomes, stack)
    reviewer = stack.token(new_id(), Role.REVIEWER)
    assert (await get(outcomes, evidence_id, reviewer)).content == content
    assert (await get(outcomes, loose, reviewer)).status_code == 404
    seen = await gql(outcomes, OUTCOME, {"id": outcome_id}, reviewer)
    assert seen["data"]["outcome"]["evidence"] == [{"id": evidence_id}]


async def test_admins_read_everything(outcomes, stack):
    evidence_id, content, outcome_id, loose = await attached_and_loose(outcomes, stack)
    admin = stack.token(new_id(), Role.ADMIN)
    assert (await get(outcomes, evidence_id, admin)).content == content
    assert (await get(outcomes, loose, admin)).status_code == 200
    assert (await gql(outcomes, OUTCOME, {"id": outcome_id}, admin))["data"]["outcome"]["id"]


async def test_an_institution_reads_only_while_the_learner_consents(outcomes, stack, bus):
    learner_id, owner = learner(stack)
    evidence_id, content, outcome_id = await attached_file(outcomes, owner)
    institution_id = new_id()
    institution = stack.token(institution_id, Role.INSTITUTION)
    assert (await get(outcomes, evidence_id, institution)).status_code == 404
    assert refusal(await gql(outcomes, OUTCOME, {"id": outcome_id}, institution))[0] == "NOT_FOUND"

    consent_id = await consent(bus, outcomes, learner_id, institution_id)
    assert (await get(outcomes, evidence_id, institution)).content == content
    seen = await gql(outcomes, OUTCOME, {"id": outcome_id}, institution)
    assert seen["data"]["outcome"]["id"] == outcome_id
    other_institution = stack.token(new_id(), Role.INSTITUTION)
    assert (await get(outcomes, evidence_id, other_institution)).status_code == 404

    await revoke(bus, outcomes, consent_id, learner_id, institution_id)
    assert (await get(outcomes, evidence_id, institution)).status_code == 404
    assert refusal(await gql(outcomes, OUTCOME, {"id": outcome_id}, institution))[0] == "NOT_FOUND"


async def test_an_expired_consent_or_a_revocation_heard_first_gives_nothing(outcomes, stack, bus):
    learner_id, owner = learner(stack)
    evidence_id, _, _ = await attached_file(outcomes, owner)
    institution_id = new_id()
    institution = stack.token(institution_id, Role.INSTITUTION)
    await consent(bus, outcomes, learner_id, institution_id, expires_in=timedelta(seconds=-1))
    assert (await get(outcomes, evidence_id, institution)).status_code == 404

    consent_id = new_id()
    await revoke(bus, outcomes, consent_id, learner_id, institution_id)
    await consent(bus, outcomes, learner_id, institution_id, timedelta(days=1), consent_id)
    assert (await get(outcomes, evidence_id, institution)).status_code == 404


async def test_anonymous_bad_token_and_unknown_ids(outcomes, stack):
    _, owner = learner(stack)
    evidence_id, _, outcome_id = await attached_file(outcomes, owner)
    assert (await get(outcomes, evidence_id)).status_code == 401
    assert (await get(outcomes, evidence_id, "forged")).status_code == 401
    expired = stack.token(new_id(), Role.ADMIN, expires_in=timedelta(seconds=-60))
    assert (await get(outcomes, evidence_id, expired)).status_code == 401
    assert (await get(outcomes, new_id(), owner)).status_code == 404
    assert (await get(outcomes, "not-a-uuid", owner)).status_code == 404
    assert refusal(await gql(outcomes, OUTCOME, {"id": outcome_id}))[0] == "UNAUTHENTICATED"
