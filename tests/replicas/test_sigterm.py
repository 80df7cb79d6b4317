"""Every process stops gracefully on SIGTERM: it refuses new connections (the gateway
takes them to another replica), answers the requests it holds, sends what its outbox
holds, and exits 0."""

from __future__ import annotations

import asyncio
import signal

import asyncpg
import httpx
import orjson
import pytest

from cbkit.testing import RunningSystem
from cbkit.testing.clients import eventually
from cbkit.testing.stack import TestStack

OPEN = """mutation($e: String!, $p: String!, $n: String!) {
  openAccount(email: $e, password: $p, displayName: $n) { account { id } } }"""
LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"
PASSWORD = "a-long-enough-password"
BURST = 12


async def open_account(client: httpx.AsyncClient, url: str, n: int) -> str | int:
    """The account's id, the HTTP status of a refusal, or 0 when no connection was made
    (the gateway would send that one to another replica)."""
    variables = {"e": f"term{n}@example.org", "p": PASSWORD, "n": f"Learner {n}"}
    try:
        answer = await client.post(url, json={"query": OPEN, "variables": variables})
    except httpx.ConnectError:
        return 0
    if answer.status_code != 200:
        return answer.status_code
    body = orjson.loads(answer.content)
    assert not body.get("errors"), body
    return str(body["data"]["openAccount"]["account"]["id"])


@pytest.fixture
async def accounts(stack: TestStack):
    system = RunningSystem(stack, namespace="term")
    await system.start(("accounts",))
    try:
        yield system
    finally:
        await system.stop()


async def test_sigterm_during_a_burst_answers_every_request_it_took_and_exits_0(
    accounts: RunningSystem, stack: TestStack
) -> None:
    url = f"{accounts.url('accounts')}/graphql"
    process = accounts.processes["accounts"]
    async with httpx.AsyncClient(timeout=60) as client:
        burst = [asyncio.create_task(open_account(client, url, n)) for n in range(BURST)]
        await asyncio.wait(burst, return_when=asyncio.FIRST_COMPLETED)
        in_flight = [task for task in burst if not task.done()]
        process.send_signal(signal.SIGTERM)

        # clients that come after the signal, each on a new connection (a socket kept
        # alive from before may be closed under a request: the gateway's freshness
        # rules and read retries are for that, gateway/subgraph_client.py)
        async with httpx.AsyncClient(
            timeout=60, limits=httpx.Limits(max_keepalive_connections=0)
        ) as fresh:

            async def refusing() -> bool:
                try:
                    await fresh.get(f"{accounts.url('accounts')}/healthz")
                except httpx.ConnectError:
                    return True
                return False

            await eventually(refusing, within=10)  # the socket closes while requests finish
            late = [asyncio.create_task(open_account(fresh, url, BURST + n)) for n in range(3)]
            await asyncio.wait(late)
        outcomes = await asyncio.gather(*burst, *late)  # a dropped request raises here
        assert await process.wait() == 0

    assert in_flight, "the stop came after the burst: nothing was in flight"
    assert all(isinstance(task.result(), str) for task in in_flight)  # each one answered
    assert [o for o in outcomes if not isinstance(o, str) and o != 0] == []  # no 5xx, no 4xx
    assert [task.result() for task in late] == [0, 0, 0]  # refused: another replica's
    opened = [o for o in outcomes if isinstance(o, str)]

    settings = stack.settings("accounts", "term")
    conn = await asyncpg.connect(settings.database_url)
    try:
        unsent = await conn.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
        known = await conn.fetchval(
            "SELECT count(*) FROM outbox WHERE routing_key = 'account.opened'"
        )
    finally:
        await conn.close()
    assert unsent == 0  # the relay sent every event before the process exited
    assert known >= len(opened)

    await accounts.start(("accounts",))
    async with httpx.AsyncClient(timeout=30) as client:
        for n, outcome in enumerate(outcomes):
            if isinstance(outcome, str):
                variables = {"e": f"term{n}@example.org", "p": PASSWORD}
                answer = await client.post(url, json={"query": LOGIN, "variables": variables})
                assert orjson.loads(answer.content)["data"]["login"]["token"]


async def test_the_gateway_stops_on_sigterm_with_exit_code_0(stack: TestStack) -> None:
    system = RunningSystem(stack, namespace="termgw")
    await system.start(("gateway",))
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            answer = await client.post(system.gateway, json={"query": "{ __typename }"})
            assert answer.json() == {"data": {"__typename": "Query"}}
        process = system.processes["gateway"]
        process.send_signal(signal.SIGTERM)
        assert await process.wait() == 0
    finally:
        await system.stop()
