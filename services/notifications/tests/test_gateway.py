"""Through the gateway of the running system (five services): a learner's result
decided becomes a message that arrives live on `notificationAdded` (a second
subgraph's subscription, planned to notifications) and reads in `me.notifications`."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest

from cbkit import testing
from cbkit.testing import RunningSystem, Subscription, TestStack, eventually
from services.notifications.tests.conftest import CERTIFICATION, Bus, now

pytestmark = pytest.mark.asyncio(loop_scope="session")

ADDED = "subscription { notificationAdded { id kind title body about { type id } } }"
INBOX = """{ me { unreadNotifications notifications(first: 5) { totalCount
  nodes { id kind title about { type id } readAt } } } }"""


async def gql(url: str, query: str, token: str | None = None, **variables: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            url, json={"query": query, "variables": variables}, headers=headers
        )
    return response.json()


@pytest.mark.timeout(120)
async def test_a_decision_arrives_live_and_in_the_inbox_through_the_gateway(
    running_system: RunningSystem, stack: TestStack
):
    url = running_system.gateway
    opened = await gql(
        url,
        """mutation { openAccount(email: "zhao.lei@example.org", password: "a-long-password",
        displayName: "Zhao Lei") { token account { id } } }""",
    )
    token = opened["data"]["openAccount"]["token"]
    learner = opened["data"]["openAccount"]["account"]["id"]
    added = await gql(
        url,
        """mutation { addResult(input: {kind: WORK_EXPERIENCE, title: "Nursery assistant",
        issuer: "Sunshine Kindergarten", achievedOn: "2025-03-01", hours: 40,
        evidenceIds: []}) { id } }""",
        token,
    )
    outcome = added["data"]["addResult"]["id"]

    settings = stack.settings("notifications", "sys")

    async def title_heard() -> bool:
        # the result's title reaches notifications by outcome.submitted
        conn = await asyncpg.connect(settings.database_url)
        try:
            return bool(await conn.fetchval("SELECT true FROM outcomes WHERE id = $1", outcome))
        finally:
            await conn.close()

    await eventually(title_heard, within=20)
    async with (
        Bus.listening(settings, "notifications.#", CERTIFICATION) as bus,
        Subscription(url, token, language="zh-CN") as feed,
    ):
        await feed.subscribe(ADDED)
        decided = {
            "caseId": testing.new_id(),
            "outcomeId": outcome,
            "learnerId": learner,
            "reviewerId": testing.new_id(),
            "credentialCode": None,
            "reason": None,
            "decidedAt": now(),
            "sequence": 3,
        }
        # the subscription is forwarded to notifications asynchronously: approve until
        # one arrives (each approval is a message of its own)
        payload = None
        for _ in range(20):
            await bus.send("certification.approved", decided)
            try:
                payload = await feed.next(within=1.0)
                break
            except TimeoutError:
                continue
        assert payload is not None, "no notification arrived through the gateway"
        message = payload["data"]["notificationAdded"]
        assert message["kind"] == "CERTIFIED"
        # in the language the client's connection asked for
        assert message["title"] == "学习成果已认证"
        assert message["body"] == "“Nursery assistant”已通过认证。"
        assert message["about"] == {"type": "OUTCOME", "id": outcome}

    inbox = await gql(url, INBOX, token)
    assert "errors" not in inbox, inbox
    me = inbox["data"]["me"]
    assert me["unreadNotifications"] == me["notifications"]["totalCount"] >= 1
    assert message["id"] in [n["id"] for n in me["notifications"]["nodes"]]
    marked = await gql(url, "mutation { markNotificationsRead(all: true) }", token)
    assert marked["data"]["markNotificationsRead"] == me["unreadNotifications"]
