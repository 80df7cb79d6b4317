"""Credit events, live over graphql-transport-ws, resumable by cursor, under consent,
while the connection's token holds."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest_asyncio
from websockets.exceptions import ConnectionClosed

from cbkit.auth import Principal, Role
from cbkit.envelope import Event
from cbkit.testing import Bus, RunService, Subscription, eventually, handled, serve_tcp
from services.accounts.service import build
from services.accounts.service_layer import feed as feed_service

from .conftest import People, converted, gql

FEED = """subscription($after: String, $types: [String!]) {
  creditEvents(after: $after, types: $types) { id cursor type learnerId data } }"""
GRANT = """mutation($institution: ID!, $expires: DateTime!) {
  grantConsent(institutionId: $institution, expiresAt: $expires) { id } }"""
REVOKE = "mutation($id: ID!) { revokeConsent(consentId: $id) { id active } }"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def ws_url(accounts: httpx.AsyncClient) -> AsyncIterator[str]:
    async with serve_tcp(accounts.app) as url:  # type: ignore[attr-defined]
        yield f"{url}/graphql"


async def credit(bus: Bus, learner_id: str, course: str) -> Event:
    event = converted(learner_id, course)
    await bus.resend(event)
    return event


async def course_of_next(feed: Subscription) -> str:
    course: str = (await feed.next())["data"]["creditEvents"]["data"]["courseCode"]
    return course


async def nothing_before_marker(
    accounts: httpx.AsyncClient, bus: Bus, feed: Subscription, seen: Event, learner_id: str
) -> None:
    """Once `seen` is in the feed, a later event of `learner_id` is the next that
    `feed` delivers: whatever came before it and was not delivered, never will be."""
    await handled(accounts, seen)
    await credit(bus, learner_id, "MARKER")
    assert await course_of_next(feed) == "MARKER"


async def test_a_learner_receives_her_own_events_in_order_and_no_one_elses(
    accounts, bus, people: People, ws_url
):
    her, other = await people.learner("Chen Jing"), await people.learner("Zhao Lei")
    async with Subscription(ws_url, her.token) as feed:
        await feed.subscribe(FEED)
        others = await credit(bus, other.id, "PE-OTHER")
        for course in ("PE-101", "PE-102", "PE-103"):
            await credit(bus, her.id, course)
        received = [(await feed.next())["data"]["creditEvents"] for _ in range(3)]
        assert [e["data"]["courseCode"] for e in received] == ["PE-101", "PE-102", "PE-103"]
        assert {e["learnerId"] for e in received} == {her.id}
        assert {e["type"] for e in received} == {"credits.converted"}
        await nothing_before_marker(accounts, bus, feed, others, her.id)


async def test_a_subscriber_resumes_from_its_cursor_without_loss_or_duplicates(
    accounts, bus, people: People, ws_url
):
    her = await people.learner("Liu Yang")
    async with Subscription(ws_url, her.token) as feed:
        await feed.subscribe(FEED)
        await credit(bus, her.id, "C-0")
        last_seen = (await feed.next())["data"]["creditEvents"]["cursor"]

    for n in range(1, 6):  # five events while she is away
        await credit(bus, her.id, f"C-{n}")

    async with Subscription(ws_url, her.token) as feed:
        await feed.subscribe(FEED, {"after": last_seen})
        missed = [(await feed.next())["data"]["creditEvents"] for _ in range(5)]
        assert [e["data"]["courseCode"] for e in missed] == [f"C-{n}" for n in range(1, 6)]
        live_event = await credit(bus, her.id, "C-6")
        live = (await feed.next())["data"]["creditEvents"]
        assert live["data"]["courseCode"] == "C-6"
        assert len({e["cursor"] for e in [*missed, live]}) == 6
        await nothing_before_marker(accounts, bus, feed, live_event, her.id)


async def test_an_institution_sees_a_learner_only_while_she_consents(
    bus, people: People, accounts, ws_url
):
    her, marker = await people.learner("Sun Mei"), await people.learner("Marker")
    university = await people.staff("INSTITUTION", "Chongqing Normal University")
    expires = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    consent = {"institution": university.id, "expires": expires}
    await gql(accounts, GRANT, consent, marker.token)
    async with Subscription(ws_url, university.token) as feed:
        await feed.subscribe(FEED)
        before = await credit(bus, her.id, "BEFORE-CONSENT")
        await nothing_before_marker(accounts, bus, feed, before, marker.id)

        granted = await gql(accounts, GRANT, consent, her.token)
        await credit(bus, her.id, "DURING-CONSENT")
        event = (await feed.next())["data"]["creditEvents"]
        assert (event["learnerId"], event["data"]["courseCode"]) == (her.id, "DURING-CONSENT")

        consent_id = granted["data"]["grantConsent"]["id"]
        await gql(accounts, REVOKE, {"id": consent_id}, her.token)
        after = await credit(bus, her.id, "AFTER-REVOCATION")
        await nothing_before_marker(accounts, bus, feed, after, marker.id)


async def test_an_admin_sees_every_learner_and_filters_by_type(
    accounts, bus, people: People, ws_url
):
    first, second = await people.learner("Wu Hao"), await people.learner("Xu Li")
    async with Subscription(ws_url, people.admin.token) as feed:
        await feed.subscribe(FEED, {"types": ["credits.converted"]})
        # one after another: two learners' events are consumed side by side
        await handled(accounts, await credit(bus, first.id, "A-1"))
        await credit(bus, second.id, "A-2")
        seen = [(await feed.next())["data"]["creditEvents"] for _ in range(2)]
        assert [(e["learnerId"], e["data"]["courseCode"]) for e in seen] == [
            (first.id, "A-1"),
            (second.id, "A-2"),
        ]


async def test_refusals_say_why(people: People, ws_url):
    reviewer = await people.staff("REVIEWER", "Reviewer Gao")
    learner = await people.learner("He Ping")
    cases: list[tuple[str, dict[str, object], str]] = [
        (reviewer.token, {}, "only LEARNER or INSTITUTION or ADMIN"),
        (learner.token, {"after": "42"}, "after must be a cursor"),
        (learner.token, {"types": ["credits.stolen"]}, "unknown event types credits.stolen"),
    ]
    for token, variables, reason in cases:
        async with Subscription(ws_url, token) as feed:
            await feed.subscribe(FEED, variables)
            answer = await feed.next()
            assert reason in str(answer), answer


async def test_an_invalid_token_is_refused_at_connection(ws_url):
    try:
        async with Subscription(ws_url, "not-a-token"):
            raise AssertionError("connection accepted")
    except Exception as refused:
        assert "4403" in str(refused) or "refused" in str(refused)


async def test_a_subscriber_on_one_replica_gets_events_consumed_by_another(
    bus, people: People, run_service: RunService
):
    her = await people.learner("Tang Xin")
    async with (
        run_service(build()) as replica,
        serve_tcp(replica.app) as url,  # type: ignore[attr-defined]
        Subscription(f"{url}/graphql", her.token) as feed,
    ):
        await feed.subscribe(FEED)
        for n in range(10):  # one after another: two replicas consume side by side
            await handled(replica, await credit(bus, her.id, f"R-{n}"))
        got = [(await feed.next())["data"]["creditEvents"] for _ in range(10)]
        assert [e["data"]["courseCode"] for e in got] == [f"R-{n}" for n in range(10)]


async def test_a_stream_catches_up_from_the_database_then_follows_the_shared_tail(
    bus, people: People, accounts
):
    her = await people.learner("Ma Lin")
    runtime = accounts.runtime
    listener = feed_service.FeedListener(runtime.settings.database_url, runtime.pool, tail_size=4)
    await listener.start()
    try:
        old = [await credit(bus, her.id, f"OLD-{n}") for n in range(12)]
        for event in old:
            await handled(accounts, event)

        async def read_all() -> bool:
            newest = listener.since(listener.last_read - 1) or []
            return [e.event_id for e in newest] == [str(old[-1].id)]

        await eventually(read_all)
        viewer = Principal(her.id, Role.LEARNER)
        clock = runtime.deps.clock
        entries = feed_service.stream(runtime.pool, listener, clock, viewer, after=0, types=None)
        got = [(await anext(entries)).data["courseCode"] for _ in range(12)]
        assert got == [f"OLD-{n}" for n in range(12)]
        await credit(bus, her.id, "NEW")
        assert (await anext(entries)).data["courseCode"] == "NEW"
        await entries.aclose()
    finally:
        await listener.close()


async def live(bus: Bus, feed: Subscription, learner_id: str) -> None:
    """Subscribe, and wait until the subscription delivers."""
    await feed.subscribe(FEED)
    await credit(bus, learner_id, "LIVE")
    assert await course_of_next(feed) == "LIVE"


async def closing(feed: Subscription) -> tuple[int, str]:
    """The code and reason the connection closes with, before anything else arrives."""
    try:
        message = await feed.next()
    except ConnectionClosed as closed:
        assert closed.rcvd is not None
        return closed.rcvd.code, closed.rcvd.reason
    raise AssertionError(f"the connection is still open: {message}")


SHORT = timedelta(seconds=2)


async def test_a_subscription_closes_when_its_token_expires(bus, people: People, ws_url, stack):
    her = await people.learner("Lu Qing")
    async with Subscription(ws_url, stack.token(her.id, Role.LEARNER, SHORT)) as feed:
        await live(bus, feed, her.id)
        assert await closing(feed) == (4403, "token expired")


async def test_a_token_renewed_on_the_connection_keeps_the_subscription(
    bus, people: People, ws_url, stack
):
    her = await people.learner("Pan Yue")
    feed = Subscription(ws_url, stack.token(her.id, Role.LEARNER, SHORT))
    async with feed:
        await live(bus, feed, her.id)
        await feed.renew(stack.token(her.id, Role.LEARNER))
        assert await feed.next() == {"type": "pong"}
        await asyncio.sleep(SHORT.total_seconds() + 1)  # past the first token's expiry
        await credit(bus, her.id, "AFTER-RENEWAL")
        assert await course_of_next(feed) == "AFTER-RENEWAL"


async def test_a_renewal_for_another_account_or_with_a_bad_token_closes_the_connection(
    bus, people: People, ws_url, stack
):
    her, other = await people.learner("Qin Lan"), await people.learner("Someone Else")
    renewals = [
        (stack.token(other.id, Role.LEARNER), "the new token is for another account"),
        (stack.token(her.id, Role.LEARNER, timedelta(seconds=-5)), "token expired"),
        ("not-a-token", "malformed token"),
    ]
    for renewal, reason in renewals:
        feed = Subscription(ws_url, her.token)
        async with feed:
            await live(bus, feed, her.id)
            await feed.renew(renewal)
            assert await feed.next() == {"type": "pong"}
            assert await closing(feed) == (4403, reason)
