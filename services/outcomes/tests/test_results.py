"""addResult: every field checked and named, evidence required and owned, the
same file never deposited twice, and outcome.submitted tells what others need."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from cbkit.auth import Role
from cbkit.testing import eventually
from services.outcomes.tests.conftest import (
    ADD,
    OUTCOME,
    WITHDRAW,
    add_result,
    gql,
    learner,
    new_id,
    pdf,
    refusal,
    result_input,
    upload,
    uploaded,
)

MINE = """query($id: ID!, $s: OutcomeStatus) { _entities(representations:
  [{__typename: "Account", id: $id}]) { ... on Account { outcomes(status: $s) { id status } } } }"""


async def outcomes_of(out, learner_id, status=None):
    found = await gql(out, MINE, {"id": learner_id, "s": status})
    return found["data"]["_entities"][0]["outcomes"]


async def test_a_result_with_its_evidence_is_submitted_and_announced(out, stack, bus):
    learner_id, token = learner(stack)
    content = pdf()
    file = (await upload(out, token, content, filename="teacher.pdf")).json()
    outcome = await add_result(out, token, evidenceIds=[file["id"]], title="  Preschool   teacher ")
    assert outcome["status"] == "SUBMITTED"
    assert outcome["title"] == "Preschool teacher"
    assert outcome["credentialCode"] == "CN-PRESCHOOL-TEACHER"
    assert outcome["learner"] == {"id": learner_id}
    assert outcome["evidence"] == [file]
    assert file["sha256"] == hashlib.sha256(content).hexdigest()

    await eventually(lambda: _heard(bus, outcome["id"], "outcome.submitted"))
    event = bus.about(outcome["id"], "outcome.submitted")[0]
    assert event.subject == learner_id
    assert event.data | {"submittedAt": None} == {
        "outcomeId": outcome["id"],
        "learnerId": learner_id,
        "kind": "QUALIFICATION_CERTIFICATE",
        "title": "Preschool teacher",
        "issuer": "Chongqing Education Commission",
        "credentialCode": "CN-PRESCHOOL-TEACHER",
        "achievedOn": "2024-06-30",
        "hours": 120,
        "submittedAt": None,
        "evidence": [file],
    }
    assert [o["id"] for o in await outcomes_of(out, learner_id)] == [outcome["id"]]
    assert await outcomes_of(out, learner_id, "CERTIFIED") == []


async def _heard(bus, outcome_id, routing_key):
    return bool(bus.about(outcome_id, routing_key))


TOMORROW = (datetime.now(UTC).date() + timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"title": "   "}, "title", "must not be empty"),
        ({"title": "x" * 201}, "title", "at most 200"),
        ({"issuer": ""}, "issuer", "must not be empty"),
        ({"issuer": "y" * 201}, "issuer", "at most 200"),
        ({"credentialCode": "C" * 65}, "credentialCode", "at most 64"),
        ({"achievedOn": TOMORROW}, "achievedOn", "future"),
        ({"achievedOn": "1949-12-31"}, "achievedOn", "before 1950"),
        ({"hours": 0}, "hours", "positive"),
        ({"hours": -3}, "hours", "positive"),
    ],
)
async def test_each_bad_field_is_refused_by_name_and_nothing_is_kept(
    out, stack, overrides, field, words
):
    learner_id, token = learner(stack)
    evidence_id = await uploaded(out, token)
    found = await gql(out, ADD, {"input": result_input([evidence_id], **overrides)}, token)
    code, named, message = refusal(found)
    assert (code, named) == ("BAD_USER_INPUT", field)
    assert words in message
    assert await outcomes_of(out, learner_id) == []


@pytest.mark.parametrize(
    "kind", ["QUALIFICATION_CERTIFICATE", "VOCATIONAL_TRAINING", "ONLINE_COURSE", "ACADEMIC_COURSE"]
)
async def test_certificates_and_courses_need_evidence(out, stack, kind):
    _, token = learner(stack)
    found = await gql(out, ADD, {"input": result_input([], kind=kind)}, token)
    code, field, message = refusal(found)
    assert (code, field) == ("BAD_USER_INPUT", "evidenceIds")
    assert kind in message


async def test_work_experience_may_come_without_evidence(out, stack):
    _, token = learner(stack)
    found = await gql(
        out, ADD, {"input": result_input([], kind="WORK_EXPERIENCE", hours=2000)}, token
    )
    assert found["data"]["addResult"]["evidence"] == []


async def test_nobody_but_the_owner_can_attach_an_evidence_id(out, stack):
    _, owner = learner(stack)
    evidence_id = await uploaded(out, owner)
    thief_id, thief = learner(stack)
    for ids in ([evidence_id], [new_id()], ["not-an-id"]):
        found = await gql(out, ADD, {"input": result_input(ids)}, thief)
        code, field, message = refusal(found)
        assert (code, field) == ("BAD_USER_INPUT", "evidenceIds")
        assert "not one of your uploads" in message
    assert await outcomes_of(out, thief_id) == []
    assert (await add_result(out, owner, evidenceIds=[evidence_id]))["evidence"][0]["id"]


async def test_only_learners_add_results(out, stack):
    for role in (Role.REVIEWER, Role.INSTITUTION, Role.ADMIN):
        found = await gql(out, ADD, {"input": result_input([])}, stack.token(new_id(), role))
        assert refusal(found)[0] == "FORBIDDEN"
    assert refusal(await gql(out, ADD, {"input": result_input([])}))[0] == "UNAUTHENTICATED"


async def test_a_file_attached_to_an_active_result_cannot_join_another(out, stack):
    learner_id, token = learner(stack)
    first = await add_result(out, token, title="First")
    evidence_id = first["evidence"][0]["id"]
    found = await gql(out, ADD, {"input": result_input([evidence_id], title="Second")}, token)
    _code, field, message = refusal(found)
    assert field == "evidenceIds"
    assert "already attached" in message and "First" in message
    assert len(await outcomes_of(out, learner_id)) == 1


async def test_the_same_content_in_an_active_result_is_a_duplicate_deposit(out, stack):
    _, token = learner(stack)
    content = pdf()
    await add_result(out, token, evidenceIds=[await uploaded(out, token, content)], title="One")
    again = await uploaded(out, token, content)
    _code, field, message = refusal(await gql(out, ADD, {"input": result_input([again])}, token))
    assert field == "evidenceIds"
    assert "duplicate deposit" in message and "One" in message


async def test_the_same_content_twice_in_one_result_is_a_duplicate_deposit(out, stack):
    _, token = learner(stack)
    content = pdf()
    twins = [await uploaded(out, token, content), await uploaded(out, token, content)]
    _, field, message = refusal(await gql(out, ADD, {"input": result_input(twins)}, token))
    assert field == "evidenceIds" and "duplicate deposit" in message
    same_twice = [twins[0], twins[0]]
    _code, field, message = refusal(await gql(out, ADD, {"input": result_input(same_twice)}, token))
    assert "more than once" in message


async def test_another_learner_may_deposit_the_same_content(out, stack):
    content = pdf()
    _, first = learner(stack)
    await add_result(out, first, evidenceIds=[await uploaded(out, first, content)])
    _, second = learner(stack)
    assert await add_result(out, second, evidenceIds=[await uploaded(out, second, content)])


async def test_a_withdrawn_result_releases_its_files(out, stack):
    _, token = learner(stack)
    content = pdf()
    evidence_id = await uploaded(out, token, content)
    first = await add_result(out, token, evidenceIds=[evidence_id])
    assert (await gql(out, WITHDRAW, {"id": first["id"]}, token))["data"]["withdrawResult"]
    again = await add_result(out, token, evidenceIds=[evidence_id])
    assert again["evidence"][0]["id"] == evidence_id
    seen = await gql(out, OUTCOME, {"id": first["id"]}, token)
    assert seen["data"]["outcome"] == {
        "id": first["id"],
        "status": "WITHDRAWN",
        "title": "Preschool teacher qualification",
        "evidence": [{"id": evidence_id}],
    }


async def test_achieved_today_is_accepted(out, stack):
    _, token = learner(stack)
    today = datetime.now(UTC).date().isoformat()
    assert (await add_result(out, token, achievedOn=today))["achievedOn"] == today
