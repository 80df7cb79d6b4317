"""Issue 19's system test: a burst of approvals and reads while one conversion replica is
killed (SIGKILL) and another stopped (SIGTERM), both then started again. Every approval
converts exactly once, each learner's balance in accounts' ledger is exactly what
conversion converted, and no read through the gateway fails."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime
from decimal import Decimal

import aio_pika
import asyncpg
import httpx
import pytest

from cbkit import broker
from cbkit.auth import Role
from cbkit.envelope import Event
from cbkit.testing.clients import eventually, new_id
from cbkit.testing.stack import TestStack
from gateway.tests.world import CATALOG
from gateway.tests.world import must as ask

from .conftest import Replicas

LEARNERS = 16
READ = "{ majorsConnection { nodes { code } } }"
OPEN = """mutation($e: String!, $p: String!, $n: String!) {
  openAccount(email: $e, password: $p, displayName: $n) { account { id } } }"""
CODE = "CN-KINDERGARTEN-PRINCIPAL"


def approval(learner: str) -> Event:
    """An approval of a new certificate of `learner`, as certification publishes it."""
    data = {
        "caseId": new_id(),
        "outcomeId": new_id(),
        "learnerId": learner,
        "reviewerId": new_id(),
        "kind": "QUALIFICATION_CERTIFICATE",
        "credentialCode": CODE,
        "claimedCredentialCode": CODE,
        "hours": None,
        "achievedOn": "2024-06-30",
        "decidedAt": datetime.now(UTC).isoformat(),
        "sequence": 3,
    }
    return Event("certification.approved", "/services/certification", learner, data)


@pytest.fixture
async def system(stack: TestStack):
    async with Replicas(stack, "sys19", "conversion", 3).running(("accounts", "gateway")) as r:
        yield r


async def test_approvals_convert_once_and_reads_answer_while_replicas_are_killed_and_stopped(
    system: Replicas, stack: TestStack
) -> None:
    admin = stack.token(new_id(), Role.ADMIN)
    accounts = f"{system.system.url('accounts')}/graphql"
    async with httpx.AsyncClient(timeout=60) as client:
        for mutation in CATALOG:
            await ask(client, system.gateway, mutation, token=admin)
        learners = []
        for n in range(LEARNERS):
            variables = {"e": f"sys19-{n}@example.org", "p": "a-long-enough-password", "n": "L"}
            opened = await ask(client, accounts, OPEN, variables)
            learners.append(opened["openAccount"]["account"]["id"])

        reads: list[dict] = []
        stop_reading = asyncio.Event()

        async def read_on() -> None:
            while not stop_reading.is_set():
                reads.append(await ask(client, system.gateway, READ))

        reading = asyncio.create_task(read_on())
        settings = stack.settings("certification", "sys19")
        connection = await broker.connect(settings.amqp_url)
        async with connection:
            channel = await connection.channel(publisher_confirms=True)
            exchange = await broker.declare_exchange(channel, settings.exchange)
            for learner in learners:
                event = approval(learner)
                message = aio_pika.Message(event.to_json(), message_id=str(event.id))
                await exchange.publish(message, routing_key=event.routing_key)
        conversion_url = stack.settings("conversion", "sys19").database_url
        early = await asyncpg.connect(conversion_url)
        try:
            before = await early.fetchval("SELECT count(*) FROM conversions")
        finally:
            await early.close()
        assert await system.kill(0, signal.SIGKILL) == -signal.SIGKILL
        assert await system.kill(1, signal.SIGTERM) == 0
        await system.start(0)
        await system.start(1)
        stop_reading.set()
        await reading  # a read that failed raised there
        assert len(reads) >= 1
        print(f"{before} of {LEARNERS} converted at the kill; {len(reads)} reads answered")

    conversion = await asyncpg.connect(conversion_url)
    ledger = await asyncpg.connect(stack.settings("accounts", "sys19").database_url)
    try:

        async def all_converted_and_booked() -> bool:
            converted = await conversion.fetchval("SELECT count(*) FROM conversions")
            booked = await ledger.fetchval(
                "SELECT count(*) FROM ledger_entries WHERE kind = 'CONVERTED'"
            )
            return converted >= LEARNERS and booked >= LEARNERS

        await eventually(all_converted_and_booked, within=60)
        per_outcome = await conversion.fetch(
            "SELECT outcome_id, count(*) AS n FROM conversions GROUP BY outcome_id"
        )
        assert len(per_outcome) == LEARNERS
        assert {row["n"] for row in per_outcome} == {1}  # each approval converted once
        by_learner = "SELECT learner_id::text, sum(credits) FROM {} GROUP BY learner_id"
        converted: dict[str, Decimal] = {
            row[0]: row[1] for row in await conversion.fetch(by_learner.format("conversions"))
        }
        booked: dict[str, Decimal] = {
            row[0]: row[1] for row in await ledger.fetch(by_learner.format("ledger_entries"))
        }
        assert set(converted) == set(learners)
        assert all(credits > Decimal(0) for credits in converted.values())
        assert booked == converted  # each balance exact, to the tenth of a credit
    finally:
        await conversion.close()
        await ledger.close()
