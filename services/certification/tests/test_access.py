"""Every role against every root field and mutation, and the entity fields that
rely on the outcome the gateway let the caller see."""

from datetime import timedelta

import pytest

from cbkit.auth import Role
from cbkit.testing import error_code, gql, new_id
from services.certification.tests.conftest import (
    QUEUE,
    claim,
    claimed,
    current,
    decide,
    open_case,
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
CERTIFICATION = """query($id: ID!) { _entities(representations: [{__typename: "Certification",
  id: $id}]) { ... on Certification { id status outcome { id } } } }"""


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
    assert (await current(certification, data["outcomeId"]))["status"] == "PENDING"


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
    assert (await current(certification, data["outcomeId"]))["status"] == "IN_REVIEW"


@pytest.mark.parametrize("role", ALLOWED)
async def test_the_reviewer_or_admin_holding_a_case_decides_it(certification, bus, stack, role):
    token = stack.token(new_id(), role)
    case = await claimed(certification, bus, submitted(), token)
    result = await decide(certification, case["id"], token, "APPROVE", code="CN-PRESCHOOL-TEACHER")
    assert result["data"]["decideCertification"]["status"] == "APPROVED"


@pytest.mark.parametrize("who", [None, Role.LEARNER, Role.INSTITUTION, Role.REVIEWER, Role.ADMIN])
async def test_entity_fields_answer_whoever_the_gateway_let_see_the_outcome(
    certification, bus, stack, who
):
    data = submitted()
    case = await open_case(certification, bus, data)
    token = token_for(stack, who)
    through_outcome = await current(certification, data["outcomeId"], token)
    assert through_outcome["id"] == case["id"]
    by_key = await gql(certification, CERTIFICATION, {"id": case["id"]}, token)
    assert by_key["data"]["_entities"] == [
        {"id": case["id"], "status": "PENDING", "outcome": {"id": data["outcomeId"]}}
    ]
