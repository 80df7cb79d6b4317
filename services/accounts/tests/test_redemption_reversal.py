"""An institution reverses a redemption it made, with a reason, within the window
(CB_REDEMPTION_REVERSAL_DAYS, 30 days by default): the credits go back to the learner's
balance as a REVERSED ledger entry and conversion is told."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import httpx
import pytest
import pytest_asyncio

from cbkit.testing import Subscription, error_code, eventually, new_id, serve_tcp
from services.accounts.tests.conftest import (
    REDEEM,
    balance,
    clock_at,
    consume,
    converted,
    gql,
    grant,
    offer,
)

REVERSE = """mutation($id: ID!, $reason: String!) {
  reverseRedemption(id: $id, reason: $reason) {
    id courseCode credits redeemedAt reversedAt reversalReason
    learner { id } institution { id } } }"""
LEDGER = """query($id: ID!) { account(id: $id) {
  ledgerConnection(first: 10) { nodes { kind credits courseCode conversionId note
    institution { id } } } } }"""
REDEMPTIONS = """query($id: ID!, $first: Int, $after: String) { account(id: $id) {
  redemptionsConnection(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id courseCode reversedAt reversalReason institution { id } } } } }"""


def _balance(available="0.0", redeemed="0.0", expired="0.0", earned="0.0"):
    return {"available": available, "redeemed": redeemed, "expired": expired, "earned": earned}


@pytest.fixture
async def scene(accounts, people):
    """A learner holding 2.0 + 1.5 credits of one course, redeemed by a consented
    institution that offers it."""
    learner = await people.learner()
    institution = await people.staff("INSTITUTION", "Chongqing Open University")
    course = f"PE-TRWM-{new_id()[:6]}"
    first = converted(learner.id, course, "2.0")
    second = converted(learner.id, course, "1.5")
    await consume(accounts, first)
    await consume(accounts, second)
    await grant(accounts, learner, institution)
    await offer(accounts, institution, course)
    body = await gql(accounts, REDEEM, {"learner": learner.id, "course": course}, institution.token)
    assert "errors" not in body, body
    redemption = body["data"]["redeemCredits"]
    conversions = {first.data["conversionId"], second.data["conversionId"]}
    return learner, institution, course, redemption, conversions


async def test_a_reversal_gives_the_credits_back_and_tells_conversion(accounts, bus, scene):
    learner, institution, course, redemption, conversions = scene
    assert await balance(accounts, learner) == _balance("0.0", redeemed="3.5", earned="3.5")

    body = await gql(
        accounts,
        REVERSE,
        {"id": redemption["id"], "reason": "  enrolled by mistake "},
        institution.token,
    )

    reversed_ = body["data"]["reverseRedemption"]
    assert reversed_["reversalReason"] == "enrolled by mistake"
    assert reversed_["reversedAt"] is not None
    assert (reversed_["id"], reversed_["credits"]) == (redemption["id"], "3.5")
    assert await balance(accounts, learner) == _balance("3.5", earned="3.5")
    entries = (await gql(accounts, LEDGER, {"id": learner.id}, learner.token))["data"]["account"]
    newest = entries["ledgerConnection"]["nodes"][:2]
    assert sorted((e["kind"], e["credits"], e["note"]) for e in newest) == [
        ("REVERSED", "1.5", "enrolled by mistake"),
        ("REVERSED", "2.0", "enrolled by mistake"),
    ]
    assert {e["conversionId"] for e in newest} == conversions
    assert all(e["institution"] == {"id": institution.id} for e in newest)

    async def both() -> bool:
        return (
            len(bus.heard_about("redemptionId", redemption["id"], "credits.redemption_reversed"))
            == 2
        )

    await eventually(both)
    events = bus.heard_about("redemptionId", redemption["id"], "credits.redemption_reversed")
    assert {e.data["conversionId"] for e in events} == conversions
    one = next(e for e in events if e.data["credits"] == "2.0")
    assert one.data == {
        "redemptionId": redemption["id"],
        "conversionId": one.data["conversionId"],
        "learnerId": learner.id,
        "institutionId": institution.id,
        "courseCode": course,
        "credits": "2.0",
        "reason": "enrolled by mistake",
        "reversedAt": one.data["reversedAt"],
    }
    # the credits are the learner's again: they can be redeemed anew
    again = await gql(
        accounts, REDEEM, {"learner": learner.id, "course": course}, institution.token
    )
    assert again["data"]["redeemCredits"]["credits"] == "3.5"
    assert await balance(accounts, learner) == _balance("0.0", redeemed="3.5", earned="3.5")


async def test_a_redemption_is_reversed_once(accounts, scene):
    learner, institution, _, redemption, _ = scene
    variables = {"id": redemption["id"], "reason": "wrong course"}
    assert "errors" not in await gql(accounts, REVERSE, variables, institution.token)

    twice = await gql(accounts, REVERSE, variables, institution.token)

    assert error_code(twice) == ("CONFLICT", "id")
    assert "already reversed" in twice["errors"][0]["message"]
    assert await balance(accounts, learner) == _balance("3.5", earned="3.5")


async def test_a_reversal_comes_within_the_window_or_not_at_all(accounts, scene):
    learner, institution, _, redemption, _ = scene
    redeemed_at = datetime.fromisoformat(redemption["redeemedAt"])
    variables = {"id": redemption["id"], "reason": "too late"}

    with clock_at(accounts, redeemed_at + timedelta(days=30, seconds=1)):
        late = await gql(accounts, REVERSE, variables, institution.token)
    assert error_code(late) == ("FORBIDDEN", "id")
    assert "within 30 days" in late["errors"][0]["message"]
    assert await balance(accounts, learner) == _balance("0.0", redeemed="3.5", earned="3.5")

    with clock_at(accounts, redeemed_at + timedelta(days=29, hours=23)):
        in_time = await gql(accounts, REVERSE, variables, institution.token)
    assert in_time["data"]["reverseRedemption"]["reversedAt"] is not None
    assert await balance(accounts, learner) == _balance("3.5", earned="3.5")


async def test_only_the_redeeming_institution_or_an_admin_reverses(accounts, people, scene):
    learner, institution, _, redemption, _ = scene
    rival = await people.staff("INSTITUTION", "Rival University")
    await grant(accounts, learner, rival)
    variables = {"id": redemption["id"], "reason": "not mine"}

    assert error_code(await gql(accounts, REVERSE, variables, rival.token)) == ("NOT_FOUND", "id")
    assert error_code(await gql(accounts, REVERSE, variables, learner.token))[0] == "FORBIDDEN"
    assert error_code(await gql(accounts, REVERSE, variables))[0] == "UNAUTHENTICATED"
    unknown = {"id": new_id(), "reason": "x"}
    assert error_code(await gql(accounts, REVERSE, unknown, institution.token)) == (
        "NOT_FOUND",
        "id",
    )
    empty = {"id": redemption["id"], "reason": "   "}
    assert error_code(await gql(accounts, REVERSE, empty, institution.token)) == (
        "BAD_USER_INPUT",
        "reason",
    )
    assert await balance(accounts, learner) == _balance("0.0", redeemed="3.5", earned="3.5")

    by_admin = await gql(accounts, REVERSE, variables, people.admin.token)
    assert by_admin["data"]["reverseRedemption"]["reversalReason"] == "not mine"


async def test_redemptions_page_for_the_learner_and_each_institution(accounts, people, scene):
    learner, institution, _, redemption, _ = scene
    rival = await people.staff("INSTITUTION", "Rival University")
    await grant(accounts, learner, rival)
    other = f"PE-GAME-{new_id()[:6]}"
    await offer(accounts, rival, other)
    await consume(accounts, converted(learner.id, other, "1.0"))
    made = await gql(accounts, REDEEM, {"learner": learner.id, "course": other}, rival.token)
    rivals = made["data"]["redeemCredits"]["id"]
    await gql(accounts, REVERSE, {"id": redemption["id"], "reason": "r"}, institution.token)

    async def listed(account, reader, first=10):
        body = await gql(accounts, REDEMPTIONS, {"id": account.id, "first": first}, reader.token)
        assert "errors" not in body, body
        return body["data"]["account"]["redemptionsConnection"]

    own = await listed(learner, learner)
    assert [n["id"] for n in own["nodes"]] == [rivals, redemption["id"]]
    assert own["totalCount"] == 2
    assert own["nodes"][1]["reversalReason"] == "r"
    # an institution reading the learner sees the redemptions it made
    assert [n["id"] for n in (await listed(learner, rival))["nodes"]] == [rivals]
    assert [n["id"] for n in (await listed(institution, institution))["nodes"]] == [
        redemption["id"]
    ]
    page = await listed(learner, people.admin, first=1)
    assert page["pageInfo"]["hasNextPage"] is True
    stranger = await people.learner()
    body = await gql(accounts, REDEMPTIONS, {"id": learner.id}, stranger.token)
    assert error_code(body)[0] == "FORBIDDEN"


FEED = """subscription($types: [String!]) {
  creditEvents(types: $types) { type learnerId data } }"""


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def ws_url(accounts: httpx.AsyncClient) -> AsyncIterator[str]:
    async with serve_tcp(accounts.app) as url:  # type: ignore[attr-defined]
        yield f"{url}/graphql"


async def test_the_credit_feed_carries_the_reversal_like_the_redemption(accounts, people, ws_url):
    learner = await people.learner()
    institution = await people.staff("INSTITUTION", "Chongqing Open University")
    course = f"PE-FEED-{new_id()[:6]}"
    await consume(accounts, converted(learner.id, course, "2.0"))
    await grant(accounts, learner, institution)
    await offer(accounts, institution, course)
    types = ["credits.redeemed", "credits.redemption_reversed"]
    async with Subscription(ws_url, learner.token) as feed:
        await feed.subscribe(FEED, {"types": types})
        made = await gql(
            accounts, REDEEM, {"learner": learner.id, "course": course}, institution.token
        )
        redemption_id = made["data"]["redeemCredits"]["id"]
        await gql(accounts, REVERSE, {"id": redemption_id, "reason": "moved"}, institution.token)

        received = [(await feed.next())["data"]["creditEvents"] for _ in range(2)]

    assert [e["type"] for e in received] == types
    assert {e["learnerId"] for e in received} == {learner.id}
    reversal = received[1]["data"]
    assert (reversal["redemptionId"], reversal["credits"], reversal["reason"]) == (
        redemption_id,
        "2.0",
        "moved",
    )
