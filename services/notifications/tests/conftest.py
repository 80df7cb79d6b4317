"""One notifications service for the module's tests, a bus that publishes the other
services' events as they would, and the inbox read through the Account entity."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest_asyncio

from cbkit import testing, wire
from cbkit.auth import Role
from cbkit.envelope import Event
from cbkit.testing import TestStack, gql, handled, new_id, serve_tcp, service_client, service_clock
from services.notifications.service import build

ACCOUNTS = "/services/accounts"
OUTCOMES = "/services/outcomes"
CERTIFICATION = "/services/certification"
CONVERSION = "/services/conversion"

NOTIFICATION = "id kind title body about { type id } createdAt readAt"
INBOX = f"""query($id: ID!, $first: Int, $after: String, $unread: Boolean) {{
  _entities(representations: [{{__typename: "Account", id: $id}}]) {{ ... on Account {{
    notifications(first: $first, after: $after, unread: $unread) {{
      edges {{ cursor node {{ {NOTIFICATION} }} }}
      pageInfo {{ hasNextPage endCursor }} totalCount }}
    unreadNotifications }} }} }}"""
UNREAD = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}])
  { ... on Account { unreadNotifications } } }"""
MARK = """mutation($ids: [ID!], $all: Boolean) { markNotificationsRead(ids: $ids, all: $all) }"""
PREFERENCES = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}])
  { ... on Account { notificationPreferences { language email emailKinds } } } }"""
SET_PREFERENCES = """mutation($language: String!, $email: String, $kinds: [NotificationKind!]) {
  setNotificationPreferences(language: $language, email: $email, emailKinds: $kinds)
  { language email emailKinds } }"""


class Bus(testing.Bus):
    """Publishes as accounts, outcomes, certification and conversion would."""

    async def publish(
        self, source: str, routing_key: str, subject: str, data: dict[str, Any]
    ) -> Event:
        event = Event(routing_key, source, subject, data)
        await self.resend(event)
        return event

    async def opened(self, account_id: str, role: Role, name: str) -> Event:
        data = {"accountId": account_id, "role": role.value, "displayName": name}
        return await self.publish(ACCOUNTS, "account.opened", account_id, data)

    async def closed(self, account_id: str, role: Role = Role.LEARNER) -> Event:
        data = {"accountId": account_id, "role": role.value, "closedAt": now()}
        return await self.publish(ACCOUNTS, "account.closed", account_id, data)

    async def submitted(
        self, learner_id: str, title: str = "Preschool teacher qualification"
    ) -> Event:
        data = {"outcomeId": new_id(), "learnerId": learner_id, "title": title, "kind": "OTHER"}
        return await self.publish(OUTCOMES, "outcome.submitted", learner_id, data)

    async def decided(self, routing_key: str, submitted: Event, **more: Any) -> Event:
        data = {
            "caseId": new_id(),
            "outcomeId": submitted.data["outcomeId"],
            "learnerId": submitted.data["learnerId"],
            "reviewerId": new_id(),
            "credentialCode": None,
            "reason": None,
            "decidedAt": now(),
            "sequence": 3,
        } | more
        return await self.publish(CERTIFICATION, routing_key, data["learnerId"], data)

    async def converted(self, learner_id: str, credits: str = "2.0", **more: Any) -> Event:
        data = {
            "conversionId": new_id(),
            "learnerId": learner_id,
            "outcomeId": new_id(),
            "courseCode": "ED101",
            "majorCode": "ED",
            "credits": credits,
            "ruleId": new_id(),
            "expiresOn": None,
            "convertedAt": now(),
        } | more
        return await self.publish(CONVERSION, "credits.converted", learner_id, data)

    async def consent(self, routing_key: str, learner_id: str, institution_id: str) -> Event:
        data = {
            "consentId": new_id(),
            "learnerId": learner_id,
            "institutionId": institution_id,
            "grantedAt": now(),
            "expiresAt": "2027-06-30T16:00:00Z",
            "revokedAt": now(),
        }
        return await self.publish(ACCOUNTS, routing_key, learner_id, data)


def now() -> str:
    return wire.instant(datetime.now(UTC))


notifications = service_client(build, "notifications")
clock = service_clock("notifications")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def bus(stack: TestStack, notifications: httpx.AsyncClient) -> AsyncIterator[Bus]:
    async with Bus.listening(stack.settings("notifications"), "notifications.#", ACCOUNTS) as bus:
        yield bus


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def ws_url(notifications: httpx.AsyncClient) -> AsyncIterator[str]:
    """The service served over TCP, for WebSocket subscriptions."""
    async with serve_tcp(notifications.app) as url:  # type: ignore[attr-defined]
        yield f"{url}/graphql"


async def sent(client: httpx.AsyncClient, bus: Bus, event: Event) -> Event:
    """Wait until the service handled `event` (sent already)."""
    await handled(client, event)
    return event


async def inbox(
    client: httpx.AsyncClient, account_id: str, token: str | None, **variables: Any
) -> dict[str, Any]:
    """The whole answer of the account's inbox as the holder of `token` asks for it."""
    return await gql(client, INBOX, {"id": account_id, **variables}, token)


async def messages(
    client: httpx.AsyncClient, account_id: str, token: str, **variables: Any
) -> list[dict[str, Any]]:
    """The account's messages (one page), read by the account itself."""
    answer = await inbox(client, account_id, token, **variables)
    assert "errors" not in answer, answer
    found = answer["data"]["_entities"][0]["notifications"]
    return [edge["node"] for edge in found["edges"]]
