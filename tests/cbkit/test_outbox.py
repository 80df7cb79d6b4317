import asyncio

import orjson
import pytest

from cbkit.envelope import Event
from cbkit.outbox import OutboxRelay, publish

from .conftest import bind_probe, drop_broker_connections


def event(n: int) -> Event:
    return Event(routing_key="demo.happened", source="/tests", subject="learner-1", data={"n": n})


async def received(queue, count: int, within: float = 10.0) -> list[dict]:
    messages: list[dict] = []
    async with asyncio.timeout(within):
        while len(messages) < count:
            message = await queue.get(fail=False)
            if message is None:
                await asyncio.sleep(0.02)
                continue
            await message.ack()
            messages.append({"body": orjson.loads(message.body), "id": message.message_id})
    return messages


async def reconnected_probe(plumbing, name):
    async with asyncio.timeout(30):
        while True:
            try:
                return await bind_probe(plumbing, name)
            except RuntimeError:
                await asyncio.sleep(0.2)


@pytest.fixture
async def relay(plumbing):
    task = asyncio.create_task(
        OutboxRelay(
            plumbing.pool,
            plumbing.amqp,
            plumbing.settings.exchange,
            plumbing.settings.database_url,
            poll_seconds=0.5,
        ).run()
    )
    yield
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_an_event_is_published_after_commit_and_never_on_rollback(plumbing, relay):
    probe = await bind_probe(plumbing)
    async with plumbing.pool.acquire() as conn:
        with pytest.raises(RuntimeError):
            async with conn.transaction():
                await publish(conn, event(0))
                raise RuntimeError("the state change failed")
        committed = event(1)
        async with conn.transaction():
            await publish(conn, committed)

    [message] = await received(probe, 1)
    assert message["id"] == str(committed.id)
    assert message["body"]["type"] == "org.creditbank.demo.happened.v1"
    assert message["body"]["specversion"] == "1.0"
    assert message["body"]["subject"] == "learner-1"
    assert message["body"]["data"] == {"n": 1}
    await asyncio.sleep(0.3)
    assert await probe.get(fail=False) is None


async def test_events_leave_in_the_order_they_were_committed(plumbing, relay):
    probe = await bind_probe(plumbing)
    async with plumbing.pool.acquire() as conn:
        for n in range(300):
            await publish(conn, event(n))
    messages = await received(probe, 300)
    assert [m["body"]["data"]["n"] for m in messages] == list(range(300))


async def test_publishing_resumes_by_itself_after_the_broker_drops_connections(plumbing, relay):
    name = f"{plumbing.settings.queue}.probe"
    probe = await bind_probe(plumbing, name)
    async with plumbing.pool.acquire() as conn:
        await publish(conn, event(1))
    await received(probe, 1)

    await drop_broker_connections()
    async with plumbing.pool.acquire() as conn:
        for n in range(2, 12):
            await publish(conn, event(n))

    probe = await reconnected_probe(plumbing, name)
    messages = await received(probe, 10, within=30)
    assert sorted(m["body"]["data"]["n"] for m in messages) == list(range(2, 12))
    await probe.delete(if_unused=False, if_empty=False)
