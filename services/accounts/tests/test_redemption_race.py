"""Two institutions redeem the same credits at the same moment: exactly one wins."""

from __future__ import annotations

import asyncio

from cbkit.testing import new_id
from services.accounts.tests.conftest import (
    REDEEM,
    codes,
    consume,
    converted,
    gql,
    grant,
    offer,
)

ROUNDS = 8
LEDGER = """query($id: ID!) { account(id: $id) {
  ledger(first: 200) { entries { kind courseCode } } } }"""


async def test_concurrent_redemptions_of_the_same_credits_have_one_winner(accounts, people):
    learner = await people.learner()
    first = await people.staff("INSTITUTION", "First University")
    second = await people.staff("INSTITUTION", "Second University")
    await grant(accounts, learner, first)
    await grant(accounts, learner, second)
    courses = [f"RACE-{new_id()[:6]}" for _ in range(ROUNDS)]
    await offer(accounts, first, *courses)
    await offer(accounts, second, *courses)

    for course in courses:
        await consume(accounts, converted(learner.id, course, "2.0"))
        variables = {"learner": learner.id, "course": course}

        answers = await asyncio.gather(
            gql(accounts, REDEEM, variables, first.token),
            gql(accounts, REDEEM, variables, second.token),
            gql(accounts, REDEEM, variables, first.token),
        )

        won = [a for a in answers if "errors" not in a]
        lost = [a for a in answers if "errors" in a]
        assert len(won) == 1
        assert [codes(a) for a in lost] == [["CONFLICT"], ["CONFLICT"]]
        assert {a["errors"][0]["message"] for a in lost} == {
            f"the credits for course {course} were already redeemed"
        }
        ledger = await gql(accounts, LEDGER, {"id": learner.id}, learner.token)
        entries = ledger["data"]["account"]["ledger"]["entries"]
        assert entries.count({"kind": "REDEEMED", "courseCode": course}) == 1
