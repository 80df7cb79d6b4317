"""A learner closes their account (account.closed): their open cases are withdrawn
with a step saying why, their own words erased, their consent copies removed; the
decisions stay for the figures, only admins still read the cases, and nothing the
learner sends later opens anything."""

from datetime import UTC, datetime, timedelta

from cbkit.auth import Role
from cbkit.testing import error_code, gql, handled, new_id
from services.certification.tests.conftest import (
    BY_KEY,
    QUEUE,
    account_closed,
    case_of,
    claimed,
    consent_granted,
    current,
    decide,
    following,
    open_case,
    queue_ids,
    sight,
    submitted,
)

CLOSURE = "withdrawn: the learner closed their account"
SECRET = "my phone is 138 0000 0000, call me"
GONE = ("NOT_FOUND", "certification"), ("NOT_FOUND", "id")


async def heard(certification, bus, event):
    await bus.resend(event)
    await handled(certification, event)
    return event


async def rows(certification, query, *args):
    async with certification.runtime.pool.acquire() as conn:
        return await conn.fetch(query, *args)


async def a_learner_with_every_kind_of_case(certification, bus, stack):
    """A learner with a pending case, one in review, one resubmitted with a note, one
    approved, and a consent to an institution; and the reviewer holding the cases."""
    learner = new_id()
    reviewer = new_id()
    token = stack.token(reviewer, Role.REVIEWER)
    pending = submitted(learner)
    await open_case(certification, bus, pending)
    in_review = submitted(learner)
    await claimed(certification, bus, in_review, token)
    resubmitted = submitted(learner)
    case = await claimed(certification, bus, resubmitted, token)
    await decide(certification, case["id"], token, "REQUEST_INFO", "the scan is unreadable")
    note = following(resubmitted, note=SECRET, resubmittedAt=datetime.now(UTC))
    await handled(certification, await bus.send("outcome.resubmitted", note))
    approved = submitted(learner)
    case = await claimed(certification, bus, approved, token)
    done = await decide(certification, case["id"], token, "APPROVE", code="CN-PRESCHOOL-TEACHER")
    assert done["data"]["decideCertification"]["status"] == "APPROVED"
    institution = new_id()
    expires = datetime.now(UTC) + timedelta(days=30)
    grant = consent_granted(learner, institution, expires, datetime.now(UTC))
    await heard(certification, bus, grant)
    outcomes = {
        "pending": pending,
        "in_review": in_review,
        "resubmitted": resubmitted,
        "approved": approved,
    }
    return learner, token, institution, outcomes


async def test_closing_withdraws_open_cases_erases_the_learners_words_and_keeps_decisions(
    certification, bus, stack
):
    learner, _, _, outcomes = await a_learner_with_every_kind_of_case(certification, bus, stack)
    admin = stack.token(new_id(), Role.ADMIN)
    learner_token = stack.token(learner, Role.LEARNER)
    before = {
        name: await current(certification, data["outcomeId"], learner_token)
        for name, data in outcomes.items()
    }
    assert before["resubmitted"]["history"][-1]["note"] == SECRET
    assert before["resubmitted"]["status"] == "PENDING"

    closed_at = datetime.now(UTC).replace(microsecond=0)
    await heard(certification, bus, account_closed(learner, closed_at))

    after = {
        name: await current(certification, data["outcomeId"], admin)
        for name, data in outcomes.items()
    }
    for name in ("pending", "in_review", "resubmitted"):
        case = after[name]
        assert case["status"] == "WITHDRAWN", name
        assert case["history"][:-1] == [
            step if step["note"] != SECRET else step | {"note": "resubmitted"}
            for step in before[name]["history"]
        ]
        last = case["history"][-1]
        assert (last["status"], last["by"], last["note"]) == ("WITHDRAWN", None, CLOSURE)
        assert last["at"] == closed_at.isoformat()
    assert after["approved"] == before["approved"]  # decided: stays as it was
    assert after["approved"]["status"] == "APPROVED"
    # no reviewer work left: none of the learner's cases waits in any queue
    assert await queue_ids(certification, admin, learnerId=learner) == []
    assert len(await queue_ids(certification, admin, learnerId=learner, status="WITHDRAWN")) == 3

    # what is stored: no note of the learner, no title, no consent; the decision stays
    notes = await rows(
        certification,
        "SELECT h.note FROM case_history h JOIN cases c ON c.id = h.case_id"
        " WHERE c.learner_id = $1",
        learner,
    )
    assert SECRET not in [row["note"] for row in notes]
    titles = await rows(certification, "SELECT title FROM cases WHERE learner_id = $1", learner)
    assert [row["title"] for row in titles] == [None] * 4
    consents = await rows(certification, "SELECT 1 FROM consents WHERE learner_id = $1", learner)
    assert consents == []
    decisions = await rows(
        certification,
        "SELECT d.decision FROM decisions d JOIN cases c ON c.id = d.case_id"
        " WHERE c.learner_id = $1 ORDER BY d.id",
        learner,
    )
    assert [row["decision"] for row in decisions] == ["REQUEST_INFO", "APPROVE"]


async def test_after_closing_only_admins_read_the_learners_cases(certification, bus, stack):
    learner, reviewer, institution, outcomes = await a_learner_with_every_kind_of_case(
        certification, bus, stack
    )
    await heard(certification, bus, account_closed(learner, datetime.now(UTC)))
    data = outcomes["approved"]
    case_id = (await current(certification, data["outcomeId"], stack.token(new_id(), Role.ADMIN)))[
        "id"
    ]
    for token in (
        stack.token(learner, Role.LEARNER),
        reviewer,
        stack.token(institution, Role.INSTITUTION),
        stack.token(new_id(), Role.REVIEWER),
    ):
        assert await sight(certification, data, case_id, token) == list(GONE)
    assert await queue_ids(certification, reviewer, learnerId=learner, status="WITHDRAWN") == []
    assert await queue_ids(certification, reviewer, learnerId=learner, status="APPROVED") == []
    old = await gql(certification, QUEUE, {"s": "WITHDRAWN"}, reviewer)
    assert not {c["outcome"]["id"] for c in old["data"]["reviewQueue"]} & {
        data["outcomeId"] for data in outcomes.values()
    }
    # the reviewer can no longer work them either
    refused = await gql(
        certification,
        "mutation($id: ID!) { claimCertification(id: $id) { id } }",
        {"id": case_id},
        reviewer,
    )
    assert error_code(refused) == ("NOT_FOUND", "id")

    response = await certification.post(
        "/graphql",
        json={"query": BY_KEY, "variables": {"id": case_id}},
        headers={"Authorization": f"Bearer {reviewer}", "Accept-Language": "zh-CN"},
    )
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "注销" in error["message"]
    english = await gql(certification, BY_KEY, {"id": case_id}, reviewer)
    assert "closed their account" in english["errors"][0]["message"]


async def test_closing_twice_changes_nothing_more(certification, bus, stack):
    learner = new_id()
    data = submitted(learner)
    await open_case(certification, bus, data)
    admin = stack.token(new_id(), Role.ADMIN)
    first = await heard(certification, bus, account_closed(learner, datetime.now(UTC)))
    once = await current(certification, data["outcomeId"], admin)
    await bus.resend(first)  # redelivered
    await heard(certification, bus, account_closed(learner, datetime.now(UTC)))  # sent again
    assert await current(certification, data["outcomeId"], admin) == once
    assert [s["status"] for s in once["history"]] == ["PENDING", "WITHDRAWN"]


async def test_late_events_of_a_closed_learner_open_nothing(certification, bus, stack):
    learner = new_id()
    await heard(certification, bus, account_closed(learner, datetime.now(UTC)))
    admin = stack.token(new_id(), Role.ADMIN)

    late = submitted(learner)
    await handled(certification, await bus.send("outcome.submitted", late))
    assert await case_of(certification, late["outcomeId"], admin) is None
    expires = datetime.now(UTC) + timedelta(days=30)
    await heard(certification, bus, consent_granted(learner, new_id(), expires, datetime.now(UTC)))
    consents = await rows(certification, "SELECT 1 FROM consents WHERE learner_id = $1", learner)
    assert consents == []
    assert await rows(certification, "SELECT 1 FROM cases WHERE learner_id = $1", learner) == []


async def test_a_closed_institution_leaves_no_consent_copy(certification, bus, stack):
    institution = new_id()
    expires = datetime.now(UTC) + timedelta(days=30)
    for _ in range(2):
        grant = consent_granted(new_id(), institution, expires, datetime.now(UTC))
        await heard(certification, bus, grant)
    query = "SELECT 1 FROM consents WHERE institution_id = $1"
    assert len(await rows(certification, query, institution)) == 2
    closed = account_closed(institution, datetime.now(UTC), Role.INSTITUTION)
    await heard(certification, bus, closed)
    assert await rows(certification, query, institution) == []


async def test_a_closed_reviewers_cases_in_review_wait_unclaimed_again(certification, bus, stack):
    reviewer = new_id()
    token = stack.token(reviewer, Role.REVIEWER)
    held = submitted()
    await claimed(certification, bus, held, token)
    decided = submitted()
    case = await claimed(certification, bus, decided, token)
    await decide(certification, case["id"], token, "REJECT", "not a certificate")
    admin = stack.token(new_id(), Role.ADMIN)
    before = await current(certification, decided["outcomeId"], admin)

    closed = await heard(
        certification, bus, account_closed(reviewer, datetime.now(UTC), Role.REVIEWER)
    )
    await bus.resend(closed)
    await heard(certification, bus, account_closed(reviewer, datetime.now(UTC), Role.REVIEWER))

    released = await current(certification, held["outcomeId"], admin)
    assert (released["status"], released["reviewer"]) == ("PENDING", None)
    assert [(s["status"], s["by"], s["note"]) for s in released["history"][-2:]] == [
        ("IN_REVIEW", {"id": reviewer}, "claimed"),
        ("PENDING", None, "released: the reviewer closed their account"),
    ]
    assert released["id"] in await queue_ids(
        certification, admin, learnerId=held["learnerId"], unclaimed=True
    )
    assert await current(certification, decided["outcomeId"], admin) == before
    another = stack.token(new_id(), Role.REVIEWER)
    answer = await gql(
        certification,
        "mutation($id: ID!) { claimCertification(id: $id) { status } }",
        {"id": released["id"]},
        another,
    )
    assert answer["data"]["claimCertification"]["status"] == "IN_REVIEW"
