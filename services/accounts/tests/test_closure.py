"""A learner closes their account (China's Personal Information Protection Law): what
identifies them is erased, their consents end, every service hears `account.closed`,
and the id answers nothing but its closure; the ledger's figures stay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from cbkit.testing import Subscription, error_code, serve_tcp
from services.accounts.tests.conftest import (
    GRANT,
    PASSWORD,
    REDEEM,
    REVOKE,
    Person,
    consume,
    converted,
    gql,
    grant,
    heard,
    in_days,
    offer,
)

CLOSE = """mutation($password: String!) { closeAccount(password: $password) {
  accountId closedAt } }"""
LOGIN = """mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { token refreshToken account { id } } }"""
REFRESH = """mutation($token: String!) { refreshSession(refreshToken: $token) { token } }"""
STATS = """{ stats { accountsByRole { role count closed }
  creditsByMonth { month converted redeemed expired revoked reversed } } }"""
CLOSURE = """query($id: ID!) { account(id: $id) { id closedAt } }"""
WHOLE = """query($id: ID!) { account(id: $id) { id closedAt displayName email role } }"""
MADE = """query($id: ID!) { account(id: $id) { redemptionsConnection {
  nodes { id credits learner { id } } } } }"""
LISTED = """query($search: String) { accounts(search: $search) { totalCount } }"""
FEED = """subscription($after: String) {
  creditEvents(after: $after) { cursor learnerId data } }"""


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def ws_url(accounts: httpx.AsyncClient) -> AsyncIterator[str]:
    async with serve_tcp(accounts.app) as url:  # type: ignore[attr-defined]
        yield f"{url}/graphql"


async def figures(accounts, admin: Person) -> dict[str, Any]:
    body = await gql(accounts, STATS, {}, admin.token)
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["stats"]
    return found


@pytest.fixture
async def scene(accounts, people):
    """A learner with credits, one of them redeemed by an institution, two active
    consents and a revoked one, and a session."""
    learner = await people.learner("Huang Mei")
    redeeming = await people.staff("INSTITUTION", "Redeeming University")
    other = await people.staff("INSTITUTION", "Other University")
    former = await people.staff("INSTITUTION", "Former University")
    course = f"PE-{learner.id[:6]}"
    await consume(accounts, converted(learner.id, course, "2.0"))
    await consume(accounts, converted(learner.id, f"KEPT-{learner.id[:6]}", "1.5"))
    active = [await grant(accounts, learner, redeeming), await grant(accounts, learner, other)]
    revoked = await grant(accounts, learner, former)
    assert "errors" not in await gql(accounts, REVOKE, {"id": revoked}, learner.token)
    await offer(accounts, redeeming, course)
    body = await gql(accounts, REDEEM, {"learner": learner.id, "course": course}, redeeming.token)
    redemption = body["data"]["redeemCredits"]["id"]
    session = (await gql(accounts, LOGIN, {"email": learner.email, "password": PASSWORD}))["data"]
    return learner, redeeming, active, revoked, redemption, session["login"]


async def test_a_closed_account_answers_only_its_closure(accounts, people, bus, scene):
    learner, redeeming, active, revoked, redemption, session = scene
    before = await figures(accounts, people.admin)

    body = await gql(accounts, CLOSE, {"password": PASSWORD}, learner.token)

    closure = body["data"]["closeAccount"]
    assert closure["accountId"] == learner.id and closure["closedAt"]
    [closed] = await heard(bus, "account.closed", "accountId", learner.id)
    assert closed.data == {
        "accountId": learner.id,
        "role": "LEARNER",
        "closedAt": closure["closedAt"].replace("+00:00", "Z"),
    }
    for consent_id in active:
        [event] = await heard(bus, "consent.revoked", "consentId", consent_id)
        assert event.data["learnerId"] == learner.id
    # the consent revoked before is not revoked again (events leave in order)
    assert len(bus.heard_about("consentId", revoked, "consent.revoked")) == 1

    shown = await gql(accounts, CLOSURE, {"id": learner.id}, people.admin.token)
    assert shown == {"data": {"account": {"id": learner.id, "closedAt": closure["closedAt"]}}}
    whole = await gql(accounts, WHOLE, {"id": learner.id}, people.admin.token)
    assert whole["data"] == {"account": None}  # displayName is not nullable: the account goes
    day = closure["closedAt"][:10]
    assert {e["message"] for e in whole["errors"]} == {f"account {learner.id} was closed on {day}"}
    assert {e["extensions"]["code"] for e in whole["errors"]} == {"NOT_FOUND"}

    # the learner's own token, still valid for minutes, reads nothing more
    me = await gql(accounts, "{ me { id } }", {}, learner.token)
    assert me["data"] == {"me": None} and error_code(me) == ("NOT_FOUND", None)
    mine = await gql(accounts, CLOSURE, {"id": learner.id}, learner.token)
    assert mine["data"]["account"]["closedAt"] == closure["closedAt"]
    regrant = {"institution": redeeming.id, "expires": in_days(30)}
    assert error_code(await gql(accounts, GRANT, regrant, learner.token))[0] == "NOT_FOUND"
    # an institution whose consent ended reads nothing, not even that it closed
    refused = await gql(accounts, CLOSURE, {"id": learner.id}, redeeming.token)
    assert error_code(refused) == ("FORBIDDEN", None)

    old_email = await gql(accounts, LOGIN, {"email": learner.email, "password": PASSWORD})
    unknown = await gql(accounts, LOGIN, {"email": f"x{learner.email}", "password": PASSWORD})
    assert old_email["errors"][0]["message"] == unknown["errors"][0]["message"]
    assert error_code(old_email) == error_code(unknown) == ("UNAUTHENTICATED", None)
    refresh = await gql(accounts, REFRESH, {"token": session["refreshToken"]})
    assert error_code(refresh) == ("UNAUTHENTICATED", "refreshToken")

    # the ledger's figures and the institution's redemption records stay
    after = await figures(accounts, people.admin)
    assert after["creditsByMonth"] == before["creditsByMonth"]
    counts = {r["role"]: r for r in before["accountsByRole"]}
    learners = next(r for r in after["accountsByRole"] if r["role"] == "LEARNER")
    assert learners["count"] == counts["LEARNER"]["count"]
    assert learners["closed"] == counts["LEARNER"]["closed"] + 1
    made = await gql(accounts, MADE, {"id": redeeming.id}, redeeming.token)
    nodes = made["data"]["account"]["redemptionsConnection"]["nodes"]
    assert {"id": redemption, "credits": "2.0", "learner": {"id": learner.id}} in nodes
    listed = await gql(accounts, LISTED, {"search": learner.email}, people.admin.token)
    assert listed["data"]["accounts"]["totalCount"] == 0


async def test_nothing_personal_is_left_behind(accounts, scene):
    learner, *_ = scene
    await gql(accounts, CLOSE, {"password": PASSWORD}, learner.token)
    async with accounts.runtime.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT email, display_name, password_hash FROM accounts WHERE id = $1",
            learner.id,
        )
        assert dict(row) == {
            "email": f"closed-{learner.id}@closed.invalid",
            "display_name": "",
            "password_hash": None,
        }
        for table, column in (("refresh_tokens", "account_id"), ("credit_feed", "learner_id")):
            left = await conn.fetchval(
                f"SELECT count(*) FROM {table} WHERE {column} = $1", learner.id
            )
            assert left == 0, table
        active = await conn.fetchval(
            "SELECT count(*) FROM consents WHERE learner_id = $1 AND revoked_at IS NULL",
            learner.id,
        )
        assert active == 0
        entries = await conn.fetchval(
            "SELECT count(*) FROM ledger_entries WHERE learner_id = $1", learner.id
        )
        assert entries == 3  # two conversions and a redemption


async def test_closing_needs_the_password_and_happens_once(accounts, people):
    learner = await people.learner()
    wrong = await gql(accounts, CLOSE, {"password": "not-my-password"}, learner.token)
    assert wrong["data"] is None and error_code(wrong) == ("FORBIDDEN", "password")
    assert (await gql(accounts, "{ me { id } }", {}, learner.token))["data"]["me"]

    assert "errors" not in await gql(accounts, CLOSE, {"password": PASSWORD}, learner.token)
    again = await gql(accounts, CLOSE, {"password": PASSWORD}, learner.token)
    assert error_code(again) == ("CONFLICT", None)


async def test_only_learners_close_their_accounts(accounts, people):
    for caller in (
        await people.staff("INSTITUTION", "Staying University"),
        await people.staff("REVIEWER", "Staying Reviewer"),
        people.admin,
    ):
        body = await gql(accounts, CLOSE, {"password": PASSWORD}, caller.token)
        assert error_code(body) == ("FORBIDDEN", None)
    assert error_code(await gql(accounts, CLOSE, {"password": PASSWORD})) == (
        "UNAUTHENTICATED",
        None,
    )


async def test_the_closure_speaks_chinese_when_asked(accounts, people):
    learner = await people.learner()
    await gql(accounts, CLOSE, {"password": PASSWORD}, learner.token)
    response = await accounts.post(
        "/graphql",
        json={"query": WHOLE, "variables": {"id": learner.id}},
        headers={"Authorization": f"Bearer {people.admin.token}", "Accept-Language": "zh-CN"},
    )
    [message] = {e["message"] for e in response.json()["errors"]}
    assert message.startswith(f"账户 {learner.id} 已于 ") and message.endswith(" 注销")


async def test_the_credit_feed_forgets_a_closed_learners_events(accounts, people, ws_url):
    """An admin resuming the feed from before the learner's events, live (from the
    service's in-memory tail) or not, never receives them after the closure."""
    learner, other = await people.learner(), await people.learner()
    async with Subscription(ws_url, people.admin.token) as feed:
        await feed.subscribe(FEED)
        await consume(accounts, converted(other.id, "BEFORE"))
        before = await next_of(feed, other.id)
        for course in ("GONE-1", "GONE-2"):
            await consume(accounts, converted(learner.id, course))
        assert (await next_of(feed, learner.id))["data"]["courseCode"] == "GONE-1"
    assert "errors" not in await gql(accounts, CLOSE, {"password": PASSWORD}, learner.token)
    await consume(accounts, converted(learner.id, "LATE"))  # in flight when it closed
    await consume(accounts, converted(other.id, "AFTER"))

    async with Subscription(ws_url, people.admin.token) as feed:
        await feed.subscribe(FEED, {"after": before["cursor"]})
        resumed = await next_of(feed, None)
    assert (resumed["learnerId"], resumed["data"]["courseCode"]) == (other.id, "AFTER")


async def next_of(feed: Subscription, learner_id: str | None) -> dict[str, Any]:
    """The next event of the learner (any learner's when None) an admin's feed delivers,
    skipping other tests' events."""
    while True:
        event: dict[str, Any] = (await feed.next())["data"]["creditEvents"]
        if learner_id is None or event["learnerId"] == learner_id:
            return event
