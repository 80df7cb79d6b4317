"""The status a learner sees: certification events move it, once each and never
backwards; the learner resubmits only NEEDS_INFO and withdraws only undecided."""

import pytest

from cbkit.testing import eventually, gql, new_id
from services.outcomes.tests.conftest import (
    OUTCOME,
    RESUBMIT,
    WITHDRAW,
    add_result,
    learner,
    pdf,
    refusal,
    uploaded,
)


class Result:
    """One learner's result and the certification case following it."""

    def __init__(self, outcomes, bus, token, outcome, learner_id):
        self.client, self.bus, self.token = outcomes, bus, token
        self.id, self.learner_id = outcome["id"], learner_id

    async def step(self, routing_key, sequence):
        outcome = (self.id, self.learner_id)
        return await self.bus.certification_step(self.client, routing_key, outcome, sequence)

    async def status(self):
        found = await gql(self.client, OUTCOME, {"id": self.id}, self.token)
        return found["data"]["outcome"]["status"]

    async def resubmit(self, note="the stamped copy", evidence=None):
        variables = {"id": self.id, "note": note, "ev": evidence}
        return await gql(self.client, RESUBMIT, variables, self.token)

    async def withdraw(self):
        return await gql(self.client, WITHDRAW, {"id": self.id}, self.token)


@pytest.fixture
async def result(outcomes, bus, stack):
    learner_id, token = learner(stack)
    return Result(outcomes, bus, token, await add_result(outcomes, token), learner_id)


async def test_the_status_follows_a_whole_review_with_a_resubmission(result, bus):
    assert await result.status() == "SUBMITTED"
    await result.step("claimed", 2)
    assert await result.status() == "IN_REVIEW"
    await result.step("info_requested", 3)
    assert await result.status() == "NEEDS_INFO"
    extra = await uploaded(result.client, result.token)
    answered = await result.resubmit("here is the stamped copy", [extra])
    assert answered["data"]["resubmitResult"]["status"] == "SUBMITTED"
    assert answered["data"]["resubmitResult"]["evidence"][-1] == {"id": extra}
    await result.step("claimed", 5)
    assert await result.status() == "IN_REVIEW"
    await result.step("approved", 6)
    assert await result.status() == "CERTIFIED"

    async def announced() -> bool:
        return bool(bus.about(result.id, "outcome.resubmitted"))

    await eventually(announced)
    event = bus.about(result.id, "outcome.resubmitted")[0]
    assert event.data["note"] == "here is the stamped copy"
    assert [e["id"] for e in event.data["evidence"]][-1] == extra
    assert event.data["learnerId"] == result.learner_id


async def test_a_rejection_is_final(result):
    await result.step("claimed", 2)
    await result.step("rejected", 3)
    assert await result.status() == "REJECTED"
    code, _, message = refusal(await result.withdraw())
    assert code == "CONFLICT" and "REJECTED" in message
    code, _, message = refusal(await result.resubmit())
    assert code == "CONFLICT" and "REJECTED" in message


async def test_an_event_heard_twice_is_applied_once(result):
    await result.step("claimed", 2)
    event = await result.step("info_requested", 3)
    assert (await result.resubmit())["data"]["resubmitResult"]["status"] == "SUBMITTED"
    await result.bus.resend(event)
    await result.step("info_requested", 3)  # the same step again, as a new message
    assert await result.status() == "SUBMITTED"


async def test_a_resubmission_needs_a_note(result):
    await result.step("info_requested", 2)
    code, field, _message = refusal(await result.resubmit("  "))
    assert (code, field) == ("BAD_USER_INPUT", "note")
    assert await result.status() == "NEEDS_INFO"


async def test_an_older_event_arriving_late_changes_nothing(result):
    await result.step("approved", 4)
    assert await result.status() == "CERTIFIED"
    await result.step("claimed", 2)
    await result.step("info_requested", 3)
    assert await result.status() == "CERTIFIED"


async def test_a_resubmission_keeps_the_sequence_so_late_steps_stay_ignored(result):
    await result.step("info_requested", 3)
    await result.resubmit()
    await result.step("claimed", 2)
    assert await result.status() == "SUBMITTED"
    await result.step("claimed", 5)
    assert await result.status() == "IN_REVIEW"


@pytest.mark.parametrize("steps", [[], [("claimed", 2)], [("claimed", 2), ("info_requested", 3)]])
async def test_an_undecided_result_can_be_withdrawn_once(result, bus, steps):
    for routing_key, sequence in steps:
        await result.step(routing_key, sequence)
    withdrawn = await result.withdraw()
    assert withdrawn["data"]["withdrawResult"]["status"] == "WITHDRAWN"
    code, _, message = refusal(await result.withdraw())
    assert code == "CONFLICT" and "WITHDRAWN" in message

    async def announced() -> bool:
        return bool(bus.about(result.id, "outcome.withdrawn"))

    await eventually(announced)
    assert bus.about(result.id, "outcome.withdrawn")[0].data["learnerId"] == result.learner_id


async def test_a_withdrawn_result_ignores_review_steps_but_shows_a_decision_made_before(result):
    await result.withdraw()
    await result.step("claimed", 2)
    await result.step("info_requested", 3)
    assert await result.status() == "WITHDRAWN"
    await result.step("approved", 4)
    assert await result.status() == "CERTIFIED"


async def test_a_certified_result_cannot_be_withdrawn(result):
    await result.step("claimed", 2)
    await result.step("approved", 3)
    code, _, message = refusal(await result.withdraw())
    assert code == "CONFLICT" and "CERTIFIED" in message


@pytest.mark.parametrize("steps", [[], [("claimed", 2)]])
async def test_only_a_result_needing_information_can_be_resubmitted(result, steps):
    for routing_key, sequence in steps:
        await result.step(routing_key, sequence)
    before = await result.status()
    code, _, message = refusal(await result.resubmit())
    assert code == "CONFLICT" and before in message
    assert await result.status() == before


async def test_a_resubmission_with_a_file_already_attached_keeps_it_once(result, bus):
    await result.step("info_requested", 3)
    found = await gql(result.client, OUTCOME, {"id": result.id}, result.token)
    attached = found["data"]["outcome"]["evidence"][0]["id"]
    extra = await uploaded(result.client, result.token)
    answered = await result.resubmit("same file, and a new one", [attached, extra, attached])
    assert "errors" not in answered, answered
    assert answered["data"]["resubmitResult"]["evidence"] == [{"id": attached}, {"id": extra}]
    assert await result.status() == "SUBMITTED"
    found = await gql(result.client, OUTCOME, {"id": result.id}, result.token)
    assert found["data"]["outcome"]["evidence"] == [{"id": attached}, {"id": extra}]

    async def announced() -> bool:
        return bool(bus.about(result.id, "outcome.resubmitted"))

    await eventually(announced)
    event = bus.about(result.id, "outcome.resubmitted")[0]
    assert [e["id"] for e in event.data["evidence"]] == [attached, extra]


async def test_a_resubmission_with_a_file_not_yours_is_refused_and_changes_nothing(result, stack):
    await result.step("info_requested", 3)
    found = await gql(result.client, OUTCOME, {"id": result.id}, result.token)
    attached = found["data"]["outcome"]["evidence"][0]["id"]
    _, stranger = learner(stack)
    theirs = await uploaded(result.client, stranger)
    for ids in ([attached, theirs], [attached, new_id()]):
        _code, field, message = refusal(await result.resubmit(evidence=ids))
        assert field == "evidenceIds" and "not one of your uploads" in message
    assert await result.status() == "NEEDS_INFO"
    found = await gql(result.client, OUTCOME, {"id": result.id}, result.token)
    assert found["data"]["outcome"]["evidence"] == [{"id": attached}]


async def test_only_the_owner_resubmits_or_withdraws(result, stack):
    await result.step("info_requested", 3)
    _, stranger = learner(stack)
    variables = {"id": result.id, "note": "mine now", "ev": None}
    assert refusal(await gql(result.client, RESUBMIT, variables, stranger))[0] == "NOT_FOUND"
    assert (
        refusal(await gql(result.client, WITHDRAW, {"id": result.id}, stranger))[0] == "NOT_FOUND"
    )
    assert await result.status() == "NEEDS_INFO"


async def test_an_event_about_an_unknown_result_is_set_aside(outcomes, bus, stack):
    learner_id, token = learner(stack)
    stray = Result(outcomes, bus, token, {"id": new_id()}, learner_id)
    await stray.step("approved", 2)
    mine = Result(
        outcomes,
        bus,
        token,
        await add_result(outcomes, token, evidenceIds=[await uploaded(outcomes, token, pdf())]),
        learner_id,
    )
    assert await mine.status() == "SUBMITTED"
