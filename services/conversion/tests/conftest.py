"""Fixtures for the conversion tests: one running service, an admin, a way to publish
events to the real exchange and a recorder of what the service publishes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aio_pika
import pytest_asyncio

from cbkit import broker
from cbkit.auth import Role
from cbkit.broker import declare_exchange
from cbkit.envelope import Event
from cbkit.testing import gql
from services.conversion.service import build

PUBLISHED = ("credits.converted", "credits.revoked", "certificate.awarded")


class Bus:
    """Publishes events as other services would and records the ones conversion sends."""

    def __init__(self, exchange: aio_pika.abc.AbstractExchange) -> None:
        self.exchange = exchange
        self.seen: list[Event] = []

    async def send(self, event: Event) -> None:
        await self.exchange.publish(
            aio_pika.Message(body=event.to_json(), message_id=str(event.id)),
            routing_key=event.routing_key,
        )

    def of(self, routing_key: str, learner_id: str) -> list[dict[str, Any]]:
        return [
            e.data
            for e in self.seen
            if e.routing_key == routing_key and e.data.get("learnerId") == learner_id
        ]


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def bus(stack) -> AsyncIterator[Bus]:
    settings = stack.settings("conversion")
    connection = await broker.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await declare_exchange(channel, settings.exchange)
        recorder = Bus(exchange)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        for key in PUBLISHED:
            await queue.bind(exchange, routing_key=key)

        async def record(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                recorder.seen.append(Event.from_json(message.body))

        await queue.consume(record)
        yield recorder


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def service(run_service, bus):
    async with run_service(build()) as client:
        yield client


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def admin(stack) -> str:
    return stack.token(str(uuid.uuid4()), Role.ADMIN)


def approved(
    learner_id: str,
    credential_code: str | None,
    *,
    achieved_on: str = "2024-06-30",
    kind: str = "QUALIFICATION_CERTIFICATE",
    hours: int | None = None,
    outcome_id: str | None = None,
    decided_at: datetime | None = None,
) -> Event:
    return Event(
        routing_key="certification.approved",
        source="/services/certification",
        subject=learner_id,
        data={
            "caseId": str(uuid.uuid4()),
            "outcomeId": outcome_id or str(uuid.uuid4()),
            "learnerId": learner_id,
            "reviewerId": str(uuid.uuid4()),
            "kind": kind,
            "credentialCode": credential_code,
            "hours": hours,
            "achievedOn": achieved_on,
            "decidedAt": (decided_at or datetime.now(UTC)).isoformat(),
            "sequence": 3,
        },
    )


UPSERT_MAJOR = """mutation($code: String!, $name: String!, $cap: Decimal) {
  upsertMajor(code: $code, name: $name, credentialCreditCap: $cap) { code name } }"""
UPSERT_COURSE = """mutation($code: String!, $name: String!, $credits: Decimal!, $major: String!) {
  upsertCourse(code: $code, name: $name, credits: $credits, majorCode: $major)
  { code credits major { code } } }"""
UPSERT_CREDENTIAL = """mutation($code: String!) {
  upsertCredentialType(code: $code, name: "Some certificate", authority: "Some authority")
  { code } }"""
UPSERT_RULE = """mutation($credential: String, $kind: OutcomeKind, $minHours: Int,
  $course: String!, $credits: Decimal!, $from: Date!, $until: Date, $years: Int,
  $partial: Boolean! = false) {
  upsertConversionRule(credentialCode: $credential, outcomeKind: $kind, minHours: $minHours,
    courseCode: $course, credits: $credits, validFrom: $from, validUntil: $until,
    creditValidityYears: $years, allowPartial: $partial)
  { id credentialCode course { code } credits validFrom validUntil } }"""


class Catalog:
    """Builds a small catalog of its own through the admin API: codes unique per test."""

    def __init__(self, client, admin: str) -> None:
        self.client = client
        self.admin = admin
        self.tag = uuid.uuid4().hex[:6].upper()

    def code(self, name: str) -> str:
        return f"T{self.tag}-{name}"

    async def run(self, query: str, **variables: Any) -> dict[str, Any]:
        result = await gql(self.client, query, variables, self.admin)
        assert "errors" not in result, result
        return result["data"]

    async def major(self, name: str = "M", cap: str | None = None) -> str:
        await self.run(UPSERT_MAJOR, code=self.code(name), name=f"Major {name}", cap=cap)
        return self.code(name)

    async def course(self, name: str, credits: str, major: str) -> str:
        await self.run(
            UPSERT_COURSE, code=self.code(name), name=f"Course {name}", credits=credits, major=major
        )
        return self.code(name)

    async def credential(self, name: str) -> str:
        await self.run(UPSERT_CREDENTIAL, code=self.code(name))
        return self.code(name)

    async def rule(self, course: str, credits: str, **options: Any) -> str:
        variables = {"course": course, "credits": credits, "from": "2020-01-01", **options}
        data = await self.run(UPSERT_RULE, **variables)
        return data["upsertConversionRule"]["id"]
