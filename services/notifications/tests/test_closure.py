"""A learner's own data: `GET /privacy/export` lists their messages (in both
languages) and preferences; `account.closed` erases them, takes the learner's name
out of the institutions' messages, and later events make the closed account no
message."""

from __future__ import annotations

import pytest

from cbkit.auth import Role
from cbkit.testing import gql, new_id
from services.notifications.tests.conftest import SET_PREFERENCES, messages, sent

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def export(client, token):
    response = await client.get("/privacy/export", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_export_lists_the_learners_messages_and_preferences(notifications, bus, stack):
    learner = new_id()
    token = stack.token(learner, Role.LEARNER)
    converted = await sent(notifications, bus, await bus.converted(learner, "3.0"))
    await gql(notifications, SET_PREFERENCES, {"language": "en", "email": "li@example.org"}, token)
    await sent(notifications, bus, await bus.converted(new_id()))  # another learner's

    body = await export(notifications, token)
    assert body["service"] == "notifications" and body["learnerId"] == learner
    [message] = body["records"]["notifications"]
    assert message["kind"] == "CREDITS_CONVERTED"
    assert message["about"] == {"type": "CONVERSION", "id": converted.data["conversionId"]}
    assert message["titleEn"] == "Credits converted" and message["titleZh"] == "学分已换算"
    assert message["bodyEn"] == "3.0 credits for course ED101."
    assert message["readAt"] is None and message["createdAt"].endswith("Z")
    assert body["records"]["notificationPreferences"] == [
        {"language": "en", "email": "li@example.org", "emailKinds": []}
    ]
    refused = await notifications.get("/privacy/export")
    assert refused.status_code == 401


async def test_a_closed_account_leaves_nothing_and_gets_no_more_messages(notifications, bus, stack):
    learner, institution = new_id(), new_id()
    token = stack.token(learner, Role.LEARNER)
    institution_token = stack.token(institution, Role.INSTITUTION)
    await sent(notifications, bus, await bus.opened(learner, Role.LEARNER, "Li Wei"))
    submitted = await sent(notifications, bus, await bus.submitted(learner, "My own title"))
    await sent(notifications, bus, await bus.converted(learner))
    await sent(notifications, bus, await bus.consent("consent.granted", learner, institution))
    await gql(notifications, SET_PREFERENCES, {"language": "en", "email": "li@example.org"}, token)
    # accounts revokes her consents before it announces the closure
    await sent(notifications, bus, await bus.consent("consent.revoked", learner, institution))
    closed = await sent(notifications, bus, await bus.closed(learner))

    assert await messages(notifications, learner, token) == []
    body = await export(notifications, token)
    assert body["records"] == {
        "notifications": [],
        "notificationPreferences": [],
        "emails": [],
    }
    told = await messages(notifications, institution, institution_token)
    assert [m["body"] for m in told] == [
        "A learner revoked their consent to you.",
        "A learner lets you read their credits until 2027-07-01.",
    ]
    pool = notifications.runtime.pool
    async with pool.acquire() as conn:
        kept = await conn.fetch(
            "SELECT params::text FROM messages WHERE params ->> 'learnerId' = $1::text"
            " AND params ? 'learnerName'"
            " UNION ALL SELECT title FROM outcomes WHERE learner_id::text = $1::text"
            " UNION ALL SELECT display_name FROM accounts WHERE id::text = $1::text"
            " AND display_name IS NOT NULL",
            learner,
        )
    assert kept == []

    # late events about her, and her closure again, change nothing
    await sent(notifications, bus, await bus.decided("certification.approved", submitted))
    await sent(notifications, bus, await bus.opened(learner, Role.LEARNER, "Li Wei"))
    await bus.resend(closed)
    await sent(notifications, bus, await bus.converted(learner))
    assert await messages(notifications, learner, token) == []
    async with pool.acquire() as conn:
        name = await conn.fetchval("SELECT display_name FROM accounts WHERE id = $1", learner)
    assert name is None
