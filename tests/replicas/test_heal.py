"""Faults heal completely, as the running system shows it: PostgreSQL ends every
connection of conversion's and accounts' databases (a failover, a restart), and each
service listens again (its outbox relay's LISTEN is back in pg_stat_activity) and a new
approval reaches the learner's ledger; then the broker closes both services' connections
(a broker restart), and the next approval reaches it too (consumers and the relays'
publishing channel come back). The relays poll once an hour here: what arrives, arrives
by NOTIFY."""

from __future__ import annotations

import asyncio
import re
import time

import aio_pika
import asyncpg
import httpx
import orjson
import pytest

from cbkit import broker
from cbkit.auth import Role
from cbkit.settings import Settings
from cbkit.testing.clients import eventually, new_id
from cbkit.testing.stack import TestStack
from gateway.tests.world import CATALOG
from gateway.tests.world import must as ask

from .conftest import Replicas
from .test_system import OPEN, approval

SERVICES = ("conversion", "accounts")


async def admin_connection(settings: Settings) -> asyncpg.Connection:
    return await asyncpg.connect(f"{settings.postgres_url}/postgres")


async def cut(admin: asyncpg.Connection, database: str) -> int:
    ended: int = await admin.fetchval(
        "SELECT count(*) FROM (SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
        " WHERE datname = $1 AND pid <> pg_backend_pid()) AS ended",
        database,
    )
    return ended


async def relay_listening(admin: asyncpg.Connection, database: str) -> bool:
    found = await admin.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND query = 'LISTEN \"outbox\"'",
        database,
    )
    return bool(found)


async def run(*command: str) -> str:
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
    )
    out, _ = await process.communicate()
    assert process.returncode == 0, command
    return out.decode()


async def close_broker_connections(pids: list[int]) -> int:
    """What a broker restart does to these processes: their AMQP connections closed by
    the broker (CONNECTION_FORCED), only theirs: other tests share the broker."""
    sockets = await run("ss", "-tnpH", "dst", "127.0.0.1:5672")
    pattern = r"127\.0\.0\.1:(\d+)\s+127\.0\.0\.1:5672.*?pid=(\d+)"
    names = {
        f"127.0.0.1:{port} -> 127.0.0.1:5672"
        for port, pid in re.findall(pattern, sockets)
        if int(pid) in pids
    }
    listing = await run(
        "rabbitmqctl", "-q", "list_connections", "pid", "name", "--formatter", "json"
    )
    closed = 0
    for connection in orjson.loads(listing):
        if connection["name"] in names:
            # "#PID<node.id.serial>" as the broker itself writes it: <0.id.serial>
            _, number, serial = connection["pid"].removeprefix("#PID<").rstrip(">").split(".")
            pid = f"<0.{number}.{serial}>"
            close = f'rabbit_networking:close_connection(list_to_pid("{pid}"), "test: restart").'
            await run("rabbitmqctl", "-q", "eval", close)
            closed += 1
    return closed


@pytest.fixture
async def system(stack: TestStack):
    # the relays poll once an hour: what arrives, arrives by NOTIFY
    replicas = Replicas(stack, "heal19", "conversion", 1, CB_OUTBOX_POLL_SECONDS="3600")
    async with replicas.running(("accounts",)):
        yield replicas


async def test_after_the_database_ends_every_connection_events_flow_on_notify_again(
    system: Replicas, stack: TestStack
) -> None:
    settings = {name: stack.settings(name, "heal19") for name in SERVICES}
    admin_token = stack.token(new_id(), Role.ADMIN)
    async with httpx.AsyncClient(timeout=60) as client:
        for mutation in CATALOG:
            await ask(client, f"{system.url(0)}/graphql", mutation, token=admin_token)
        learners = []
        for n in range(3):
            variables = {"e": f"heal{n}@example.org", "p": "a-long-enough-password", "n": "L"}
            opened = await ask(client, f"{system.system.url('accounts')}/graphql", OPEN, variables)
            learners.append(opened["openAccount"]["account"]["id"])

    ledger = await asyncpg.connect(settings["accounts"].database_url)
    admin = await admin_connection(settings["accounts"])
    amqp = await broker.connect(settings["accounts"].amqp_url)
    try:
        channel = await amqp.channel(publisher_confirms=True)
        exchange = await broker.declare_exchange(channel, settings["accounts"].exchange)

        async def booked_for(learner: str) -> float:
            """Publish an approval of the learner's; seconds until accounts books it."""
            event = approval(learner)
            started = time.perf_counter()
            message = aio_pika.Message(event.to_json(), message_id=str(event.id))
            await exchange.publish(message, routing_key=event.routing_key)

            async def booked() -> bool:
                return bool(
                    await ledger.fetchval(
                        "SELECT count(*) FROM ledger_entries WHERE learner_id = $1", learner
                    )
                )

            await eventually(booked, within=30)
            return time.perf_counter() - started

        before = await booked_for(learners[0])
        for name in SERVICES:
            assert await cut(admin, settings[name].database) >= 1
        await ledger.close()
        ledger = await asyncpg.connect(settings["accounts"].database_url)

        for name in SERVICES:  # each relay listens again, without waiting for its poll

            async def listening(database: str = settings[name].database) -> bool:
                return await relay_listening(admin, database)

            await eventually(listening, within=30)
        after = await booked_for(learners[1])

        pids = [system.processes[0].pid, system.system.processes["accounts"].pid]
        assert await close_broker_connections(pids) >= 2
        after_broker = await booked_for(learners[2])
        figures = (
            f"{before * 1000:.0f} ms before the cuts, {after * 1000:.0f} ms after the"
            f" database's, {after_broker * 1000:.0f} ms after the broker's"
        )
        print(f"approval to ledger: {figures}")
    finally:
        await broker.close(amqp)
        await ledger.close()
        await admin.close()
