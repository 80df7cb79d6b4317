"""Every kind of caller against every root field and mutation, and against a case
reached through its outcome and by its key: only the learner, admins and
reviewers with a case for that learner read it (institutions: test_consents)."""

from datetime import timedelta

import pytest

from cbkit.auth import Role
from cbkit.testing import error_code, gql, handled, new_id
from services.certification.tests.conftest import (
    FORBIDDEN,
    QUEUE,
    claim,
    claimed,
    current,
    decide,
    following,
    open_case,
    reads,
    sight,
    submitted,
)

REFUSED = [
    (None, "UNAUTHENTICATED"),
    ("garbage", "UNAUTHENTICATED"),
    ("expired", "UNAUTHENTICATED"),
    (Role.LEARNER, "FORBIDDEN"),
    (Role.INSTITUTION, "FORBIDDEN"),
]
ALLOWED = [Role.REVIEWER, Role.ADMIN]
UNAUTHENTICATED = [("UNAUTHENTICATED", None)] * 2


def token_for(stack, who):
    if who is None:
        return None
    if who == "garbage":
        return "not.a.token"
    if who == "expired":
        return stack.token(new_id(), Role.ADMIN, expires_in=timedelta(seconds=-60))
    return stack.token(new_id(), who)


@pytest.mark.parametrize(("who", "code"), REFUSED)
async def test_the_review_queue_is_refused_to_anyone_but_reviewers_and_admins(
    certification, stack, who, code
):
    result = await gql(certification, QUEUE, {}, token_for(stack, who))
    assert result["data"] is None
    assert error_code(result)[0] == code


@pytest.mark.parametrize("role", ALLOWED)
async def test_reviewers_and_admins_see_the_review_queue(certification, bus, stack, role):
    data = submitted()
    case = await open_case(certification, bus, data)
    result = await gql(certification, QUEUE, {"s": "PENDING"}, stack.token(new_id(), role))
    assert case["id"] in [c["id"] for c in result["data"]["reviewQueue"]]


@pytest.mark.parametrize(("who", "code"), REFUSED)
async def test_claiming_is_refused_to_anyone_but_reviewers_and_admins(
    certification, bus, stack, who, code
):
    data = submitted()
    case = await open_case(certification, bus, data)
    result = await claim(certification, case["id"], token_for(stack, who))
    assert error_code(result)[0] == code
    assert (await current(certification, data["outcomeId"], bus.learner(data)))["status"] == (
        "PENDING"
    )


@pytest.mark.parametrize("role", ALLOWED)
async def test_reviewers_and_admins_claim(certification, bus, stack, role):
    case = await open_case(certification, bus, submitted())
    account = new_id()
    result = await claim(certification, case["id"], stack.token(account, role))
    assert result["data"]["claimCertification"]["reviewer"] == {"id": account}


@pytest.mark.parametrize(("who", "code"), REFUSED)
async def test_deciding_is_refused_to_anyone_but_reviewers_and_admins(
    certification, bus, stack, who, code
):
    data = submitted()
    case = await claimed(certification, bus, data, stack.token(new_id(), Role.REVIEWER))
    token = token_for(stack, who)
    result = await decide(certification, case["id"], token, "APPROVE", code="CN-PRESCHOOL-TEACHER")
    assert error_code(result)[0] == code
    assert (await current(certification, data["outcomeId"], bus.learner(data)))["status"] == (
        "IN_REVIEW"
    )


@pytest.mark.parametrize("role", ALLOWED)
async def test_the_reviewer_or_admin_holding_a_case_decides_it(certification, bus, stack, role):
    token = stack.token(new_id(), role)
    case = await claimed(certification, bus, submitted(), token)
    result = await decide(certification, case["id"], token, "APPROVE", code="CN-PRESCHOOL-TEACHER")
    assert result["data"]["decideCertification"]["status"] == "APPROVED"


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("anonymous", UNAUTHENTICATED),
        ("garbage", UNAUTHENTICATED),
        ("expired", UNAUTHENTICATED),
        ("another learner", FORBIDDEN),
        ("an institution", FORBIDDEN),
        ("another reviewer", FORBIDDEN),
        ("the learner", None),
        ("the holding reviewer", None),
        ("an admin", None),
    ],
)
async def test_a_case_shows_through_its_outcome_and_by_key_only_to_those_who_may_read_it(
    certification, bus, stack, who, refusal
):
    data = submitted()
    holder = stack.token(new_id(), Role.REVIEWER)
    case = await claimed(certification, bus, data, holder)
    await decide(certification, case["id"], holder, "REQUEST_INFO", "the scan is unreadable")
    token = {
        "anonymous": None,
        "garbage": "not.a.token",
        "expired": stack.token(data["learnerId"], Role.LEARNER, timedelta(seconds=-60)),
        "another learner": stack.token(new_id(), Role.LEARNER),
        "an institution": stack.token(new_id(), Role.INSTITUTION),
        "another reviewer": stack.token(new_id(), Role.REVIEWER),
        "the learner": bus.learner(data),
        "the holding reviewer": holder,
        "an admin": stack.token(new_id(), Role.ADMIN),
    }[who]
    seen = await sight(certification, data, case["id"], token)
    if refusal is None:
        decided = await current(certification, data["outcomeId"], bus.learner(data))
        assert seen == [decided, decided]
        assert decided["reason"] == "the scan is unreadable"
        assert decided["history"][-1]["note"] == "the scan is unreadable"
    else:
        assert seen == refusal


async def test_a_refused_case_answers_no_field_at_all(certification, bus, stack):
    data = submitted()
    case = await open_case(certification, bus, data)
    for token in (None, stack.token(new_id(), Role.LEARNER)):
        answer = await gql(
            certification,
            """query($o: ID!, $c: ID!) {
              outcome: _entities(representations: [{__typename: "Outcome", id: $o}])
                { ... on Outcome { id certification { reason history { note } } } }
              case: _entities(representations: [{__typename: "Certification", id: $c}])
                { ... on Certification { outcome { id } reviewer { id } } } }""",
            {"o": data["outcomeId"], "c": case["id"]},
            token,
        )
        assert answer["data"] == {
            "outcome": [{"id": data["outcomeId"], "certification": None}],
            "case": [None],
        }
        assert len(answer["errors"]) == 2


def staff(stack):
    """Two reviewers and an admin."""
    return (stack.token(new_id(), r) for r in (Role.REVIEWER, Role.REVIEWER, Role.ADMIN))


async def test_a_reviewer_reads_a_learner_only_while_having_a_case_for_them(
    certification, bus, stack
):
    data = submitted()
    case = await open_case(certification, bus, data)
    alice, bob, admin = staff(stack)
    assert await reads(certification, data, case["id"], bob), "waiting unclaimed"

    await claim(certification, case["id"], alice)
    assert not await reads(certification, data, case["id"], bob), "claimed by alice"
    await decide(certification, case["id"], alice, "REQUEST_INFO", "need a scan")
    assert not await reads(certification, data, case["id"], bob), "decided by alice"

    resubmitted = following(data, note="scan", resubmittedAt="2099-01-01T00:00:00Z")
    await handled(certification, await bus.send("outcome.resubmitted", resubmitted))
    assert await reads(certification, data, case["id"], bob), "waiting again"

    await claim(certification, case["id"], admin)
    assert not await reads(certification, data, case["id"], bob), "claimed by the admin"
    assert await reads(certification, data, case["id"], alice), "alice decided it once"

    await open_case(certification, bus, submitted(learner_id=data["learnerId"]))
    assert await reads(certification, data, case["id"], bob), "another case waits unclaimed"


async def test_a_reviewer_lists_only_cases_of_learners_they_have_a_case_for(
    certification, bus, stack
):
    data = submitted()
    alice, bob, admin = staff(stack)
    case = await claimed(certification, bus, data, alice)

    async def in_review(token):
        answer = await gql(certification, QUEUE, {"s": "IN_REVIEW"}, token)
        return case["id"] in [c["id"] for c in answer["data"]["reviewQueue"]]

    assert [await in_review(token) for token in (alice, bob, admin)] == [True, False, True]
    await open_case(certification, bus, submitted(learner_id=data["learnerId"]))
    assert await in_review(bob)
