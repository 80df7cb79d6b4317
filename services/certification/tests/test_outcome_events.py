"""Outcome events open, reopen and close cases; duplicated or reordered ones
never open a second case nor bring a withdrawn one back."""

from datetime import UTC, datetime, timedelta

from cbkit.auth import Role
from cbkit.testing import handled, new_id
from services.certification.tests.conftest import (
    case_of,
    claimed,
    decide,
    following,
    open_case,
    submitted,
)

MONDAY_BEIJING = datetime(2026, 9, 28, 2, 0, tzinfo=UTC)


async def test_a_submission_opens_a_pending_case_due_on_the_china_calendar(certification, bus):
    data = submitted(submitted_at=MONDAY_BEIJING)
    case = await open_case(certification, bus, data)
    assert case["status"] == "PENDING"
    assert case["submittedOn"] == "2026-09-28"
    assert case["dueOn"] == "2026-10-23"
    assert case["reviewer"] is None
    assert [(s["status"], s["by"], s["note"]) for s in case["history"]] == [
        ("PENDING", {"id": data["learnerId"]}, "submitted")
    ]


async def test_a_duplicated_submission_opens_no_second_case(certification, bus):
    data = submitted()
    first = await open_case(certification, bus, data)
    again = await bus.send("outcome.submitted", data | {"submittedAt": MONDAY_BEIJING.isoformat()})
    await handled(certification, again)
    same = await case_of(certification, data["outcomeId"], bus.learner(data))
    assert same == first


async def test_a_redelivered_event_is_applied_once(certification, bus, stack):
    data = submitted()
    token = stack.token(new_id(), Role.REVIEWER)
    case = await claimed(certification, bus, data, token)
    await decide(certification, case["id"], token, "REQUEST_INFO", "need scan")
    answer = await bus.send(
        "outcome.resubmitted",
        following(data, note="scan attached", resubmittedAt=datetime.now(UTC)),
    )
    await handled(certification, answer)
    await bus.resend(answer)
    await bus.resend(answer)
    reopened = await case_of(certification, data["outcomeId"], bus.learner(data))
    assert reopened is not None
    assert [s["status"] for s in reopened["history"]] == [
        "PENDING",
        "IN_REVIEW",
        "NEEDS_INFO",
        "PENDING",
    ]


async def test_withdrawal_closes_the_case_and_a_late_submission_does_not_reopen_it(
    certification, bus
):
    data = submitted()
    await open_case(certification, bus, data)
    withdrawn = await bus.send("outcome.withdrawn", following(data, withdrawnAt=datetime.now(UTC)))
    await handled(certification, withdrawn)
    late = await bus.send("outcome.submitted", data)
    await handled(certification, late)
    resubmitted = await bus.send(
        "outcome.resubmitted",
        following(data, note="again", resubmittedAt=datetime.now(UTC) + timedelta(minutes=1)),
    )
    await handled(certification, resubmitted)
    case = await case_of(certification, data["outcomeId"], bus.learner(data))
    assert case is not None
    assert case["status"] == "WITHDRAWN"
    assert [(s["status"], s["note"]) for s in case["history"]] == [
        ("PENDING", "submitted"),
        ("WITHDRAWN", "withdrawn"),
    ]


async def test_a_withdrawal_that_overtakes_the_submission_keeps_the_case_from_opening(
    certification, bus
):
    data = submitted()
    withdrawn = await bus.send("outcome.withdrawn", following(data, withdrawnAt=datetime.now(UTC)))
    await handled(certification, withdrawn)
    late = await bus.send("outcome.submitted", data)
    await handled(certification, late)
    assert await case_of(certification, data["outcomeId"], bus.learner(data)) is None


async def test_a_resubmission_before_any_case_changes_nothing(certification, bus):
    data = submitted()
    early = await bus.send(
        "outcome.resubmitted", following(data, note="early", resubmittedAt=datetime.now(UTC))
    )
    await handled(certification, early)
    case = await open_case(certification, bus, data)
    assert [s["status"] for s in case["history"]] == ["PENDING"]


async def test_a_resubmission_reopens_a_case_waiting_for_information_with_a_fresh_deadline(
    certification, bus, stack
):
    data = submitted(submitted_at=datetime(2026, 2, 13, 2, 0, tzinfo=UTC))
    token = stack.token(new_id(), Role.REVIEWER)
    case = await claimed(certification, bus, data, token)
    assert case["dueOn"] == "2026-03-12"
    asked = await decide(certification, case["id"], token, "REQUEST_INFO", "need scan")
    assert asked["data"]["decideCertification"]["status"] == "NEEDS_INFO"
    answer = await bus.send(
        "outcome.resubmitted",
        following(
            data, note="scan attached", evidence=[], resubmittedAt="2099-09-30T02:00:00+00:00"
        ),
    )
    await handled(certification, answer)
    reopened = await case_of(certification, data["outcomeId"], bus.learner(data))
    assert reopened is not None
    assert reopened["status"] == "PENDING"
    assert reopened["reviewer"] is None
    assert reopened["reason"] is None
    assert reopened["submittedOn"] == "2026-02-13"
    assert reopened["dueOn"] > "2099-09-30"
    assert reopened["history"][-1]["note"] == "scan attached"
    assert reopened["history"][-1]["by"] == {"id": data["learnerId"]}


async def test_a_case_keeps_what_the_submission_said_for_the_decision(certification, bus, stack):
    data = submitted(credential_code=None, kind="ONLINE_COURSE", hours=36)
    token = stack.token(new_id(), Role.REVIEWER)
    case = await claimed(certification, bus, data, token)
    approved = await decide(certification, case["id"], token, "APPROVE")
    assert approved["data"]["decideCertification"]["status"] == "APPROVED"
    assert approved["data"]["decideCertification"]["verifiedCredentialCode"] is None
