"""Credit events, live over graphql-transport-ws, resumable by cursor, under consent."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest_asyncio

from cbkit.testing import RunService, Subscription, serve_tcp
from services.accounts.service import build

from .conftest import People, converted, gql, publish

FEED = """subscription($after: String, $types: [String!]) {
  creditEvents(after: $after, types: $types) { id cursor type learnerId data } }"""
GRANT = """mutation($institution: ID!, $expires: DateTime!) {
  grantConsent(institutionId: $institution, expiresAt: $expires) { id } }"""
REVOKE = "mutation($id: ID!) { revokeConsent(consentId: $id) { id active } }"


@pytest_asyncio.fixture(scope="session")
async def ws_url(accounts: httpx.AsyncClient) -> AsyncIterator[str]:
    async with serve_tcp(accounts.app) as url:  # type: ignore[attr-defined]
        yield f"{url}/graphql"


async def credit(stack, learner_id: str, course: str) -> None:
    await publish(stack, converted(learner_id, course))


async def test_a_learner_receives_her_own_events_in_order_and_no_one_elses(
    stack, people: People, ws_url
):
    her, other = await people.learner("Chen Jing"), await people.learner("Zhao Lei")
    async with Subscription(ws_url, her.token) as feed:
        await feed.subscribe(FEED)
        await credit(stack, other.id, "PE-OTHER")
        for course in ("PE-101", "PE-102", "PE-103"):
            await credit(stack, her.id, course)
        received = [(await feed.next())["data"]["creditEvents"] for _ in range(3)]
        assert [e["data"]["courseCode"] for e in received] == ["PE-101", "PE-102", "PE-103"]
        assert {e["learnerId"] for e in received} == {her.id}
        assert {e["type"] for e in received} == {"credits.converted"}
        assert await feed.nothing_within(0.5)


async def test_a_subscriber_resumes_from_its_cursor_without_loss_or_duplicates(
    stack, people: People, ws_url
):
    her = await people.learner("Liu Yang")
    async with Subscription(ws_url, her.token) as feed:
        await feed.subscribe(FEED)
        await credit(stack, her.id, "C-0")
        last_seen = (await feed.next())["data"]["creditEvents"]["cursor"]

    for n in range(1, 6):  # five events while she is away
        await credit(stack, her.id, f"C-{n}")

    async with Subscription(ws_url, her.token) as feed:
        await feed.subscribe(FEED, {"after": last_seen})
        missed = [(await feed.next())["data"]["creditEvents"] for _ in range(5)]
        assert [e["data"]["courseCode"] for e in missed] == [f"C-{n}" for n in range(1, 6)]
        await credit(stack, her.id, "C-6")
        live = (await feed.next())["data"]["creditEvents"]
        assert live["data"]["courseCode"] == "C-6"
        assert len({e["cursor"] for e in [*missed, live]}) == 6
        assert await feed.nothing_within(0.5)


async def test_an_institution_sees_a_learner_only_while_she_consents(
    stack, people: People, accounts, ws_url
):
    her = await people.learner("Sun Mei")
    university = await people.staff("INSTITUTION", "Chongqing Normal University")
    async with Subscription(ws_url, university.token) as feed:
        await feed.subscribe(FEED)
        await credit(stack, her.id, "BEFORE-CONSENT")
        assert await feed.nothing_within(1.0)

        expires = (datetime.now(UTC) + timedelta(days=30)).isoformat()
        granted = await gql(
            accounts, GRANT, {"institution": university.id, "expires": expires}, her.token
        )
        await credit(stack, her.id, "DURING-CONSENT")
        event = (await feed.next())["data"]["creditEvents"]
        assert (event["learnerId"], event["data"]["courseCode"]) == (her.id, "DURING-CONSENT")

        consent_id = granted["data"]["grantConsent"]["id"]
        await gql(accounts, REVOKE, {"id": consent_id}, her.token)
        await credit(stack, her.id, "AFTER-REVOCATION")
        assert await feed.nothing_within(1.0)


async def test_an_admin_sees_every_learner_and_filters_by_type(stack, people: People, ws_url):
    first, second = await people.learner("Wu Hao"), await people.learner("Xu Li")
    async with Subscription(ws_url, people.admin.token) as feed:
        await feed.subscribe(FEED, {"types": ["credits.converted"]})
        await credit(stack, first.id, "A-1")
        await credit(stack, second.id, "A-2")
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
    stack, people: People, run_service: RunService
):
    her = await people.learner("Tang Xin")
    async with (
        run_service(build()) as replica,
        serve_tcp(replica.app) as url,  # type: ignore[attr-defined]
        Subscription(f"{url}/graphql", her.token) as feed,
    ):
        await feed.subscribe(FEED)
        for n in range(10):
            await credit(stack, her.id, f"R-{n}")
        got = [(await feed.next())["data"]["creditEvents"] for _ in range(10)]
        assert [e["data"]["courseCode"] for e in got] == [f"R-{n}" for n in range(10)]


async def test_a_stream_catches_up_from_the_database_then_follows_the_shared_tail(
    stack, people: People, accounts
):
    from cbkit.auth import Principal, Role
    from cbkit.testing import eventually
    from services.accounts.service_layer import feed as feed_service

    her = await people.learner("Ma Lin")
    runtime = accounts.runtime
    listener = feed_service.FeedListener(runtime.settings.database_url, runtime.pool, tail_size=4)
    await listener.start()
    try:
        for n in range(12):
            await credit(stack, her.id, f"OLD-{n}")

        async def read_all() -> bool:
            async with runtime.pool.acquire() as conn:
                newest = await conn.fetchval(
                    "SELECT max(position) FROM credit_feed WHERE learner_id = $1"
                    " HAVING count(*) = 12",
                    uuid.UUID(her.id),
                )
            return newest is not None and listener.last_read >= newest

        await eventually(read_all)
        viewer = Principal(her.id, Role.LEARNER)
        entries = feed_service.stream(runtime.pool, listener, viewer, after=0, types=None)
        got = [(await anext(entries)).data["courseCode"] for _ in range(12)]
        assert got == [f"OLD-{n}" for n in range(12)]
        await credit(stack, her.id, "NEW")
        assert (await anext(entries)).data["courseCode"] == "NEW"
        await entries.aclose()
    finally:
        await listener.close()
