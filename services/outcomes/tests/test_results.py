"""addResult: every field checked and named, evidence required and owned, the
same file never deposited twice, and outcome.submitted tells what others need."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from cbkit.auth import Role
from cbkit.testing import error_code, eventually, gql, new_id
from services.outcomes.tests.conftest import (
    ADD,
    OUTCOME,
    WITHDRAW,
    add_result,
    learner,
    pdf,
    refusal,
    result_input,
    upload,
    uploaded,
)

MINE = """query($id: ID!, $s: OutcomeStatus) { _entities(representations:
  [{__typename: "Account", id: $id}]) { ... on Account { outcomes(status: $s) { id status } } } }"""


async def outcomes_of(outcomes, learner_id, token, status=None):
    """The learner's results as they read them through their account."""
    found = await gql(outcomes, MINE, {"id": learner_id, "s": status}, token)
    return found["data"]["_entities"][0]["outcomes"]


async def test_a_result_with_its_evidence_is_submitted_and_announced(outcomes, stack, bus):
    learner_id, token = learner(stack)
    content = pdf()
    file = (await upload(outcomes, token, content, filename="teacher.pdf")).json()
    outcome = await add_result(
        outcomes, token, evidenceIds=[file["id"]], title="  Preschool   teacher "
    )
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
    assert [o["id"] for o in await outcomes_of(outcomes, learner_id, token)] == [outcome["id"]]
    assert await outcomes_of(outcomes, learner_id, token, "CERTIFIED") == []
    anonymous = await gql(outcomes, MINE, {"id": learner_id, "s": None})
    assert anonymous["data"]["_entities"] == [None]
    assert error_code(anonymous)[0] == "UNAUTHENTICATED"


async def _heard(bus, outcome_id, routing_key):
    return bool(bus.about(outcome_id, routing_key))


# two days after today in UTC is in the future wherever the bank's calendar applies
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
    outcomes, stack, overrides, field, words
):
    learner_id, token = learner(stack)
    evidence_id = await uploaded(outcomes, token)
    found = await gql(outcomes, ADD, {"input": result_input([evidence_id], **overrides)}, token)
    code, named, message = refusal(found)
    assert (code, named) == ("BAD_USER_INPUT", field)
    assert words in message
    assert await outcomes_of(outcomes, learner_id, token) == []


@pytest.mark.parametrize(
    "kind", ["QUALIFICATION_CERTIFICATE", "VOCATIONAL_TRAINING", "ONLINE_COURSE", "ACADEMIC_COURSE"]
)
async def test_certificates_and_courses_need_evidence(outcomes, stack, kind):
    _, token = learner(stack)
    found = await gql(outcomes, ADD, {"input": result_input([], kind=kind)}, token)
    code, field, message = refusal(found)
    assert (code, field) == ("BAD_USER_INPUT", "evidenceIds")
    assert kind in message


async def test_work_experience_may_come_without_evidence(outcomes, stack):
    _, token = learner(stack)
    found = await gql(
        outcomes, ADD, {"input": result_input([], kind="WORK_EXPERIENCE", hours=2000)}, token
    )
    assert found["data"]["addResult"]["evidence"] == []


async def test_nobody_but_the_owner_can_attach_an_evidence_id(outcomes, stack):
    _, owner = learner(stack)
    evidence_id = await uploaded(outcomes, owner)
    thief_id, thief = learner(stack)
    for ids in ([evidence_id], [new_id()], ["not-an-id"]):
        found = await gql(outcomes, ADD, {"input": result_input(ids)}, thief)
        code, field, message = refusal(found)
        assert (code, field) == ("BAD_USER_INPUT", "evidenceIds")
        assert "not one of your uploads" in message
    assert await outcomes_of(outcomes, thief_id, thief) == []
    assert (await add_result(outcomes, owner, evidenceIds=[evidence_id]))["evidence"][0]["id"]


async def test_only_learners_add_results(outcomes, stack):
    for role in (Role.REVIEWER, Role.INSTITUTION, Role.ADMIN):
        found = await gql(outcomes, ADD, {"input": result_input([])}, stack.token(new_id(), role))
        assert refusal(found)[0] == "FORBIDDEN"
    assert refusal(await gql(outcomes, ADD, {"input": result_input([])}))[0] == "UNAUTHENTICATED"


async def test_a_file_attached_to_an_active_result_cannot_join_another(outcomes, stack):
    learner_id, token = learner(stack)
    first = await add_result(outcomes, token, title="First")
    evidence_id = first["evidence"][0]["id"]
    found = await gql(outcomes, ADD, {"input": result_input([evidence_id], title="Second")}, token)
    _code, field, message = refusal(found)
    assert field == "evidenceIds"
    assert "already attached" in message and "First" in message
    assert len(await outcomes_of(outcomes, learner_id, token)) == 1


async def test_the_same_content_in_an_active_result_is_a_duplicate_deposit(outcomes, stack):
    _, token = learner(stack)
    content = pdf()
    await add_result(
        outcomes, token, evidenceIds=[await uploaded(outcomes, token, content)], title="One"
    )
    again = await uploaded(outcomes, token, content)
    _code, field, message = refusal(
        await gql(outcomes, ADD, {"input": result_input([again])}, token)
    )
    assert field == "evidenceIds"
    assert "duplicate deposit" in message and "One" in message


async def test_the_same_content_twice_in_one_result_is_a_duplicate_deposit(outcomes, stack):
    _, token = learner(stack)
    content = pdf()
    twins = [await uploaded(outcomes, token, content), await uploaded(outcomes, token, content)]
    _, field, message = refusal(await gql(outcomes, ADD, {"input": result_input(twins)}, token))
    assert field == "evidenceIds" and "duplicate deposit" in message
    same_twice = [twins[0], twins[0]]
    _code, field, message = refusal(
        await gql(outcomes, ADD, {"input": result_input(same_twice)}, token)
    )
    assert "more than once" in message


async def test_another_learner_may_deposit_the_same_content(outcomes, stack):
    content = pdf()
    _, first = learner(stack)
    await add_result(outcomes, first, evidenceIds=[await uploaded(outcomes, first, content)])
    _, second = learner(stack)
    assert await add_result(
        outcomes, second, evidenceIds=[await uploaded(outcomes, second, content)]
    )


async def test_a_withdrawn_result_releases_its_files(outcomes, stack):
    _, token = learner(stack)
    content = pdf()
    evidence_id = await uploaded(outcomes, token, content)
    first = await add_result(outcomes, token, evidenceIds=[evidence_id])
    assert (await gql(outcomes, WITHDRAW, {"id": first["id"]}, token))["data"]["withdrawResult"]
    again = await add_result(outcomes, token, evidenceIds=[evidence_id])
    assert again["evidence"][0]["id"] == evidence_id
    seen = await gql(outcomes, OUTCOME, {"id": first["id"]}, token)
    assert seen["data"]["outcome"] == {
        "id": first["id"],
        "status": "WITHDRAWN",
        "title": "Preschool teacher qualification",
        "evidence": [{"id": evidence_id}],
    }


async def test_achieved_today_is_accepted(outcomes, stack, clock):
    _, token = learner(stack)
    today = clock.today().isoformat()
    assert (await add_result(outcomes, token, achievedOn=today))["achievedOn"] == today


@pytest.mark.parametrize(
    ("local_time", "today", "tomorrow"),
    [
        ("2026-03-01T23:30", "2026-03-01", "2026-03-02"),
        ("2026-03-02T00:30", "2026-03-02", "2026-03-03"),
    ],
)
async def test_today_is_the_day_where_the_bank_s_calendar_applies(
    outcomes, stack, clock, local_time, today, tomorrow
):
    local = datetime.fromisoformat(local_time).replace(tzinfo=clock.zone)
    clock.frozen_at = local.astimezone(UTC)
    _, token = learner(stack)
    assert (await add_result(outcomes, token, achievedOn=today))["achievedOn"] == today
    found = await gql(outcomes, ADD, {"input": result_input([], achievedOn=tomorrow)}, token)
    assert refusal(found)[:2] == ("BAD_USER_INPUT", "achievedOn")
