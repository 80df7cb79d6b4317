"""Faults heal completely: when PostgreSQL ends the service's connections (a failover, a
restart, an operator's pg_terminate_backend), the LISTEN connection comes back at once,
and events keep leaving on NOTIFY, not on the relay's slow poll."""

import asyncio

import asyncpg
import pytest

from cbkit.listen import Listener
from cbkit.outbox import CHANNEL, OutboxRelay, publish
from cbkit.testing.clients import eventually

from .conftest import bind_probe
from .test_outbox import event, received

NEVER = 3600.0
"""A poll so slow that whatever arrives within a test's bound arrived by NOTIFY."""


async def cut_connections(settings) -> int:
    """What a failover does to the service: every connection to its database ended."""
    admin = await asyncpg.connect(f"{settings.postgres_url}/postgres")
    try:
        return await admin.fetchval(
            # the timeout waits for each backend to be gone
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()) AS ended",
            settings.database,
        )
    finally:
        await admin.close()


async def listening_sessions(settings) -> int:
    admin = await asyncpg.connect(f"{settings.postgres_url}/postgres")
    try:
        return await admin.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN%'",
            settings.database,
        )
    finally:
        await admin.close()


@pytest.fixture
async def slow_polling_relay(plumbing):
    relay = OutboxRelay(
        plumbing.pool,
        plumbing.amqp,
        plumbing.settings.exchange,
        plumbing.settings.database_url,
        poll_seconds=NEVER,
    )
    task = asyncio.create_task(relay.run())
    yield relay
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def publish_numbered(plumbing, numbers) -> None:
    """As a service's request would, on a pool whose connections may have been ended:
    a connection found dead is replaced and the transaction tried again."""
    for attempt in (0, 1):
        try:
            async with plumbing.pool.acquire() as conn, conn.transaction():
                for n in numbers:
                    await publish(conn, event(n))
            return
        except (asyncpg.InterfaceError, asyncpg.PostgresConnectionError):
            if attempt:
                raise


async def drained(plumbing) -> None:
    """Until the relay has marked every event sent (a cut before that sends one again)."""

    async def nothing_unsent() -> bool:
        unsent = "SELECT count(*) FROM outbox WHERE sent_at IS NULL"
        return await plumbing.pool.fetchval(unsent) == 0

    await eventually(nothing_unsent, within=20)


async def test_events_leave_on_notify_again_after_the_database_ends_every_connection(
    plumbing, slow_polling_relay
):
    probe = await bind_probe(plumbing)
    await publish_numbered(plumbing, [0])
    await received(probe, 1)

    for cut in (1, 2):
        await drained(plumbing)
        assert await cut_connections(plumbing.settings) >= 1
        numbers = range(cut * 10, cut * 10 + 5)
        await publish_numbered(plumbing, numbers)
        # the relay polls once an hour: these arrive only because LISTEN came back
        messages = await received(probe, 5, within=20)
        assert [m["body"]["data"]["n"] for m in messages] == list(numbers)

    assert await listening_sessions(plumbing.settings) == 1


async def test_a_waiter_is_woken_when_its_connection_is_ended_and_listens_again(plumbing):
    listener = Listener(plumbing.settings.database_url, CHANNEL)
    try:
        await listener.wait(0)  # connects; reads what was sent before
        assert listener.listening
        waiting = asyncio.create_task(listener.wait(NEVER))
        await asyncio.sleep(0.2)
        await cut_connections(plumbing.settings)
        async with asyncio.timeout(20):
            await waiting
        await listener.wait(NEVER)  # reconnects, and wakes at once to read what was missed
        assert listener.listening
        assert listener.connects == 2

        woken = asyncio.create_task(listener.wait(NEVER))
        async with plumbing.pool.acquire() as conn:
            await conn.execute(f"NOTIFY {CHANNEL}")
        async with asyncio.timeout(20):
            await woken
    finally:
        await listener.close()
