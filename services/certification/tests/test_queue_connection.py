"""reviewQueueConnection as reviewers and admins page it: oldest due first, each
filter, what each caller may see, and what it refuses (the 50,000-case queue is
test_queue_paging)."""

import base64

import orjson
import pytest

from cbkit.auth import Role
from cbkit.paging import cursor
from cbkit.testing import error_code, gql, new_id
from services.certification.tests.conftest import (
    QUEUE,
    beijing,
    claim,
    claimed,
    decide,
    open_case,
    queue_ids,
    queue_page,
    submitted,
)


@pytest.fixture
async def learners_cases(certification, bus, stack):
    """A learner's four cases and the reviewer holding two of them:
    sooner (certificate, pending, due 23 Oct 2026), held (online course, in review,
    due 26 Oct), later (work experience, pending, due 27 Oct) and approved (decided)."""
    reviewer = new_id()
    token = stack.token(reviewer, Role.REVIEWER)
    learner = new_id()

    def outcome(day, kind):
        return submitted(learner, beijing(day), kind=kind, credential_code=None)

    later = await open_case(certification, bus, outcome("2026-09-30", "WORK_EXPERIENCE"))
    sooner = await open_case(certification, bus, outcome("2026-09-28", "QUALIFICATION_CERTIFICATE"))
    held = await claimed(certification, bus, outcome("2026-09-29", "ONLINE_COURSE"), token)
    approved = await claimed(certification, bus, outcome("2026-09-29", "ONLINE_COURSE"), token)
    answer = await decide(certification, approved["id"], token, "APPROVE")
    assert answer["data"]["decideCertification"]["status"] == "APPROVED"
    cases = {"sooner": sooner, "held": held, "later": later, "approved": approved}
    return learner, reviewer, token, {name: case["id"] for name, case in cases.items()}


async def test_the_queue_pages_oldest_due_first_with_cursors_and_a_total(
    certification, stack, learners_cases
):
    learner, _, _, ids = learners_cases
    admin = stack.token(new_id(), Role.ADMIN)

    first = await queue_page(certification, admin, first=2, learnerId=learner)
    page = first["data"]["reviewQueueConnection"]
    assert [(e["node"]["id"], e["node"]["dueOn"]) for e in page["edges"]] == [
        (ids["sooner"], "2026-10-23"),
        (ids["held"], "2026-10-26"),
    ]
    assert page["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": page["edges"][0]["cursor"],
        "endCursor": page["edges"][1]["cursor"],
    }
    assert page["totalCount"] == 3

    after = page["pageInfo"]["endCursor"]
    second = await queue_page(certification, admin, first=2, after=after, learnerId=learner)
    page = second["data"]["reviewQueueConnection"]
    assert [e["node"]["id"] for e in page["edges"]] == [ids["later"]]
    assert page["pageInfo"]["hasNextPage"] is False
    assert page["totalCount"] == 3

    empty = await queue_page(certification, admin, first=0, learnerId=learner)
    page = empty["data"]["reviewQueueConnection"]
    assert page["edges"] == []
    assert page["pageInfo"]["endCursor"] is None
    assert page["pageInfo"]["hasNextPage"] is True


async def test_each_filter_narrows_the_queue(certification, stack, clock, learners_cases):
    learner, _, token, ids = learners_cases
    admin = stack.token(new_id(), Role.ADMIN)
    clock.frozen_at = beijing("2026-10-27")  # sooner (23 Oct) and held (26 Oct) overdue

    async def queue(caller=admin, **filters):
        return await queue_ids(certification, caller, **filters)

    assert await queue(learnerId=learner) == [ids["sooner"], ids["held"], ids["later"]]
    assert await queue(learnerId=learner, status="PENDING") == [ids["sooner"], ids["later"]]
    assert await queue(learnerId=learner, status="IN_REVIEW") == [ids["held"]]
    assert await queue(learnerId=learner, status="APPROVED") == [ids["approved"]]
    assert await queue(learnerId=learner, unclaimed=True) == [ids["sooner"], ids["later"]]
    assert await queue(learnerId=learner, overdue=True) == [ids["sooner"], ids["held"]]
    assert await queue(learnerId=learner, overdue=True, status="APPROVED") == []
    assert await queue(learnerId=learner, overdue=True, unclaimed=True) == [ids["sooner"]]
    assert await queue(learnerId=learner, kind="ONLINE_COURSE") == [ids["held"]]
    assert await queue(learnerId=learner, kind="WORK_EXPERIENCE") == [ids["later"]]
    assert await queue(learnerId=learner, kind="OTHER") == []
    # mine: what the caller holds, wherever its learner (the reviewer holds only these)
    assert await queue(token, mine=True) == [ids["held"]]
    assert await queue(token, mine=True, status="APPROVED") == [ids["approved"]]
    assert await queue(token, mine=True, unclaimed=True) == []
    assert await queue(mine=True, learnerId=learner) == []  # the admin holds none
    assert await queue(learnerId=new_id()) == []

    # unclaimed and overdue alone, over every learner's cases
    unclaimed = await queue(unclaimed=True)
    assert {ids["sooner"], ids["later"]} <= set(unclaimed)
    assert ids["held"] not in unclaimed
    overdue = await queue(overdue=True)
    assert {ids["sooner"], ids["held"]} <= set(overdue)
    assert ids["later"] not in overdue


async def test_a_reviewer_sees_only_the_learners_they_have_a_case_for(
    certification, bus, stack, learners_cases
):
    learner, _, token, ids = learners_cases
    # another learner's only case is held by a colleague: not our reviewer's to see
    colleague = stack.token(new_id(), Role.REVIEWER)
    other = submitted()
    held_by_colleague = await claimed(certification, bus, other, colleague)

    assert await queue_ids(certification, token, learnerId=other["learnerId"]) == []
    assert await queue_ids(certification, colleague, learnerId=other["learnerId"]) == [
        held_by_colleague["id"]
    ]
    # the learner above has a case waiting unclaimed: any reviewer sees their cases
    stranger = stack.token(new_id(), Role.REVIEWER)
    assert await queue_ids(certification, stranger, learnerId=learner) == [
        ids["sooner"],
        ids["held"],
        ids["later"],
    ]
    assert held_by_colleague["id"] not in await queue_ids(certification, token, mine=True)


@pytest.mark.parametrize(
    ("who", "code"),
    [
        (None, "UNAUTHENTICATED"),
        ("garbage", "UNAUTHENTICATED"),
        (Role.LEARNER, "FORBIDDEN"),
        (Role.INSTITUTION, "FORBIDDEN"),
    ],
)
async def test_the_paged_queue_is_refused_to_anyone_but_reviewers_and_admins(
    certification, stack, who, code
):
    token = (
        None if who is None else "not.a.token" if who == "garbage" else stack.token(new_id(), who)
    )
    answer = await queue_page(certification, token, first=10)
    assert answer["data"] is None
    assert error_code(answer)[0] == code


def _forged(payload: dict) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(payload)).decode().rstrip("=")


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"after": "garbage"}, "after"),
        ({"after": cursor("conversions", ["2026-01-01", new_id()])}, "after"),
        ({"after": _forged({"l": "reviewQueue", "k": [1]})}, "after"),
        ({"after": _forged({"l": "reviewQueue", "k": ["x", "y"]})}, "after"),
        ({"first": 101}, "first"),
        ({"first": -1}, "first"),
        ({"learnerId": "not-an-id"}, "learnerId"),
    ],
)
async def test_a_bad_cursor_or_page_size_is_refused_naming_the_argument(
    certification, stack, variables, field
):
    answer = await queue_page(certification, stack.token(new_id(), Role.ADMIN), **variables)
    assert answer["data"] is None
    assert error_code(answer) == ("BAD_USER_INPUT", field)


async def test_a_refusal_reads_in_chinese_when_asked(certification, stack):
    token = stack.token(new_id(), Role.ADMIN)
    response = await certification.post(
        "/graphql",
        json={"query": '{ reviewQueueConnection(after: "garbage") { totalCount } }'},
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "zh-CN"},
    )
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "after"
    assert "游标" in error["message"]


async def test_the_old_review_queue_still_answers(certification, bus, stack):
    case = await open_case(certification, bus, submitted())
    admin = stack.token(new_id(), Role.ADMIN)
    claimed_answer = await claim(certification, case["id"], admin)
    assert "errors" not in claimed_answer
    old = await gql(certification, QUEUE, {"s": "IN_REVIEW"}, admin)
    assert case["id"] in [c["id"] for c in old["data"]["reviewQueue"]]
