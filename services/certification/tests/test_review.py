"""Claiming and deciding through the API: what reviewers see, what the history
keeps and what the other services hear."""

import asyncio

import pytest

from cbkit import wire
from cbkit.auth import Role
from cbkit.testing import error_code, eventually, new_id
from services.certification.tests.conftest import (
    claim,
    claimed,
    current,
    decide,
    open_case,
    submitted,
)


@pytest.fixture
def alice(stack):
    account = new_id()
    return account, stack.token(account, Role.REVIEWER)


@pytest.fixture
def bob(stack):
    account = new_id()
    return account, stack.token(account, Role.REVIEWER)


@pytest.fixture
def admin(stack):
    account = new_id()
    return account, stack.token(account, Role.ADMIN)


async def test_a_reviewer_claims_and_approves_and_conversion_hears_everything(
    certification, bus, alice
):
    reviewer, token = alice
    data = submitted(hours=120)
    case = await open_case(certification, bus, data)

    claim_answer = await claim(certification, case["id"], token)
    assert claim_answer["data"]["claimCertification"] == {
        "id": case["id"],
        "status": "IN_REVIEW",
        "reviewer": {"id": reviewer},
    }
    approved = await decide(
        certification, case["id"], token, "APPROVE", code="cn-preschool-teacher"
    )
    decided = approved["data"]["decideCertification"]
    assert decided["status"] == "APPROVED"
    assert decided["verifiedCredentialCode"] == "CN-PRESCHOOL-TEACHER"
    assert decided["decidedAt"] is not None

    async def heard_both() -> bool:
        return len(bus.about(case["id"])) == 2

    await eventually(heard_both)
    claim_event, approval = sorted(bus.about(case["id"]), key=lambda e: e.data["sequence"])
    assert claim_event.routing_key == "certification.claimed"
    assert claim_event.data["reviewerId"] == reviewer
    assert claim_event.data["sequence"] == 2
    assert approval.routing_key == "certification.approved"
    assert approval.subject == data["learnerId"]
    assert {
        k: approval.data[k]
        for k in (
            "caseId",
            "outcomeId",
            "learnerId",
            "reviewerId",
            "kind",
            "credentialCode",
            "hours",
            "achievedOn",
            "decidedAt",
            "sequence",
        )
    } == {
        "caseId": case["id"],
        "outcomeId": data["outcomeId"],
        "learnerId": data["learnerId"],
        "reviewerId": reviewer,
        "kind": "QUALIFICATION_CERTIFICATE",
        "credentialCode": "CN-PRESCHOOL-TEACHER",
        "hours": 120,
        "achievedOn": "2024-06-30",
        "decidedAt": wire.instant(wire.parse_instant(decided["decidedAt"])),
        "sequence": 3,
    }

    history = (await current(certification, data["outcomeId"], bus.learner(data)))["history"]
    assert [(s["status"], s["by"], s["note"]) for s in history] == [
        ("PENDING", {"id": data["learnerId"]}, "submitted"),
        ("IN_REVIEW", {"id": reviewer}, "claimed"),
        ("APPROVED", {"id": reviewer}, "approved as CN-PRESCHOOL-TEACHER"),
    ]
    assert history[0]["at"] <= history[1]["at"] <= history[2]["at"]


@pytest.mark.parametrize(
    ("decision", "status", "routing_key"),
    [
        ("REJECT", "REJECTED", "certification.rejected"),
        ("REQUEST_INFO", "NEEDS_INFO", "certification.info_requested"),
    ],
)
async def test_rejection_and_request_for_information_carry_their_reason(
    certification, bus, alice, decision, status, routing_key
):
    reviewer, token = alice
    data = submitted()
    case = await claimed(certification, bus, data, token)
    refused = await decide(certification, case["id"], token, decision, "  ")
    assert error_code(refused) == ("BAD_USER_INPUT", "reason")
    assert (await current(certification, data["outcomeId"], bus.learner(data)))[
        "status"
    ] == "IN_REVIEW"

    done = await decide(certification, case["id"], token, decision, "scan unreadable")
    assert done["data"]["decideCertification"]["status"] == status
    assert done["data"]["decideCertification"]["reason"] == "scan unreadable"

    async def heard() -> bool:
        return len(bus.about(case["id"], routing_key)) == 1

    await eventually(heard)
    event = bus.about(case["id"], routing_key)[0]
    assert (event.data["reason"], event.data["reviewerId"], event.data["sequence"]) == (
        "scan unreadable",
        reviewer,
        3,
    )
    assert event.data["learnerId"] == data["learnerId"]
    history = (await current(certification, data["outcomeId"], bus.learner(data)))["history"]
    assert history[-1]["note"] == "scan unreadable"


async def test_approving_a_claimed_credential_needs_the_reviewer_to_confirm_it(
    certification, bus, alice
):
    _, token = alice
    case = await claimed(certification, bus, submitted(), token)
    refused = await decide(certification, case["id"], token, "APPROVE")
    assert error_code(refused) == ("BAD_USER_INPUT", "verifiedCredentialCode")
    assert "CN-PRESCHOOL-TEACHER" in refused["errors"][0]["message"]


async def test_a_reviewer_cannot_review_their_own_outcome(certification, bus, stack):
    reviewer = new_id()
    data = submitted(learner_id=reviewer)
    case = await open_case(certification, bus, data)
    for role in (Role.REVIEWER, Role.ADMIN):
        refused = await claim(certification, case["id"], stack.token(reviewer, role))
        assert error_code(refused) == ("FORBIDDEN", "id")
    assert (await current(certification, data["outcomeId"], bus.learner(data)))[
        "status"
    ] == "PENDING"


async def test_a_case_held_by_another_reviewer_can_be_taken_over_only_by_an_admin(
    certification, bus, alice, bob, admin
):
    data = submitted()
    case = await claimed(certification, bus, data, alice[1])
    taken = await claim(certification, case["id"], bob[1])
    assert error_code(taken) == ("CONFLICT", "id")
    assert "only an admin" in taken["errors"][0]["message"]

    again = await claim(certification, case["id"], alice[1])
    assert again["data"]["claimCertification"]["reviewer"] == {"id": alice[0]}

    decided_by_other = await decide(certification, case["id"], bob[1], "REJECT", "x")
    assert error_code(decided_by_other) == ("FORBIDDEN", "id")

    took_over = await claim(certification, case["id"], admin[1])
    assert took_over["data"]["claimCertification"]["reviewer"] == {"id": admin[0]}
    by_former = await decide(certification, case["id"], alice[1], "REJECT", "x")
    assert error_code(by_former) == ("FORBIDDEN", "id")
    by_admin = await decide(certification, case["id"], admin[1], "REJECT", "fake")
    assert by_admin["data"]["decideCertification"]["status"] == "REJECTED"
    notes = [
        s["note"]
        for s in (await current(certification, data["outcomeId"], bus.learner(data)))["history"]
    ]
    assert notes == ["submitted", "claimed", f"taken over from {alice[0]}", "fake"]


async def test_a_decided_case_cannot_be_claimed_or_decided_again(certification, bus, alice, admin):
    case = await claimed(certification, bus, submitted(), alice[1])
    await decide(certification, case["id"], alice[1], "REJECT", "no")
    for token in (alice[1], admin[1]):
        refused = await claim(certification, case["id"], token)
        assert error_code(refused) == ("CONFLICT", "id")
        assert "REJECTED case cannot be claimed" in refused["errors"][0]["message"]
    again = await decide(certification, case["id"], alice[1], "APPROVE", code="CN-X")
    assert error_code(again) == ("CONFLICT", "id")


async def test_a_pending_case_cannot_be_decided_before_it_is_claimed(certification, bus, alice):
    case = await open_case(certification, bus, submitted())
    refused = await decide(certification, case["id"], alice[1], "REJECT", "no")
    assert error_code(refused) == ("CONFLICT", "id")


@pytest.mark.parametrize("case_id", [new_id(), "not-a-uuid", ""])
async def test_an_unknown_case_is_not_found_and_the_refusal_names_the_id(
    certification, alice, case_id
):
    claiming = await claim(certification, case_id, alice[1])
    deciding = await decide(certification, case_id, alice[1], "REJECT", "x")
    for refused in (claiming, deciding):
        assert error_code(refused) == ("NOT_FOUND", "id")
        assert refused["errors"][0]["message"] == f'no certification case with id "{case_id}"'


async def test_two_reviewers_claiming_at_once_one_wins(certification, bus, stack):
    for _ in range(5):
        case = await open_case(certification, bus, submitted())
        reviewers = [new_id() for _ in range(4)]
        results = await asyncio.gather(
            *(claim(certification, case["id"], stack.token(r, Role.REVIEWER)) for r in reviewers)
        )
        winners = [r for r, res in zip(reviewers, results, strict=True) if "errors" not in res]
        assert len(winners) == 1
        losers = [res for res in results if "errors" in res]
        assert {error_code(res) for res in losers} == {("CONFLICT", "id")}
        seen = await claim(certification, case["id"], stack.token(winners[0], Role.REVIEWER))
        assert seen["data"]["claimCertification"]["reviewer"] == {"id": winners[0]}

        async def one_claim_heard(case_id: str = case["id"]) -> bool:
            return len(bus.about(case_id, "certification.claimed")) == 1

        await eventually(one_claim_heard)
