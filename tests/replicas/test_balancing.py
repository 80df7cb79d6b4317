"""The gateway balances over a subgraph's replicas, ejects one that stops answering (a
read goes to another at once, a mutation too when it never reached the dead one), and
takes it back when it answers again."""

from __future__ import annotations

import signal

import httpx
import pytest

from cbkit.testing.clients import eventually
from cbkit.testing.stack import TestStack
from gateway.tests.world import must as ask

from .conftest import Replicas

READ = "{ institutions(first: 1) { totalCount } }"
OPEN = """mutation($e: String!, $p: String!, $n: String!) {
  openAccount(email: $e, password: $p, displayName: $n) { account { id } } }"""


@pytest.fixture
async def accounts(stack: TestStack):
    async with Replicas(stack, "bal", "accounts", 2).running() as replicas:
        yield replicas


async def test_reads_and_mutations_reach_a_live_replica_and_a_healed_one_is_taken_back(
    accounts: Replicas,
) -> None:
    async with httpx.AsyncClient(timeout=30) as client:
        before = [await accounts.served(client, n) for n in (0, 1)]
        for _ in range(10):
            await ask(client, accounts.gateway, READ)
        after = [await accounts.served(client, n) for n in (0, 1)]
        assert [a - b for a, b in zip(after, before, strict=True)] == [5, 5]  # in turn

        await accounts.kill(0, signal.SIGKILL)
        for n in range(10):  # every one answered: none is lost to the dead replica
            await ask(client, accounts.gateway, READ)
            variables = {"e": f"bal{n}@example.org", "p": "a-long-enough-password", "n": "B"}
            opened = await ask(client, accounts.gateway, OPEN, variables)
            assert opened["openAccount"]["account"]["id"]

        await accounts.start(0)
        served = await accounts.served(client, 0)

        async def taken_back() -> bool:
            await ask(client, accounts.gateway, READ)
            return await accounts.served(client, 0) > served

        await eventually(taken_back, within=20)
