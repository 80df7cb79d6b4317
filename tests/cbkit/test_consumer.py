import asyncio

import aio_pika
import pytest

from cbkit import broker
from cbkit.consumer import Consumer
from cbkit.envelope import Event
from cbkit.testing import eventually

from .conftest import drop_broker_connections


@pytest.fixture
async def effects(plumbing):
    async with plumbing.pool.acquire() as conn:
        await conn.execute("CREATE TABLE effects (event_id uuid, n int)")
    return plumbing


async def record(conn, event: Event) -> None:
    if event.data["n"] < 0:
        raise ValueError("this handler cannot process negative numbers")
    await conn.execute("INSERT INTO effects VALUES ($1, $2)", event.id, event.data["n"])


def consumer(plumbing, delivery_limit: int = 3) -> Consumer:
    return Consumer.of_service(
        plumbing.pool,
        plumbing.amqp,
        plumbing.settings,
        {"demo.happened": record},
        delivery_limit=delivery_limit,
    )


async def send(plumbing, *events: Event) -> None:
    channel = await plumbing.amqp.channel()
    exchange = await broker.declare_exchange(channel, plumbing.settings.exchange)
    for e in events:
        await exchange.publish(
            aio_pika.Message(e.to_json(), message_id=str(e.id)), routing_key=e.routing_key
        )
    await channel.close()


def event(n: int) -> Event:
    return Event(routing_key="demo.happened", source="/tests", subject="s", data={"n": n})


async def effect_count(plumbing) -> int:
    async with plumbing.pool.acquire() as conn:
        return await conn.fetchval("SELECT count(*) FROM effects")


async def test_a_message_delivered_twice_has_its_effect_once(effects):
    await consumer(effects).start()
    twice = event(1)
    await send(effects, twice, twice, event(2))
    await eventually(lambda: _equals(effect_count(effects), 2))
    await asyncio.sleep(0.3)
    assert await effect_count(effects) == 2


async def test_a_failing_handler_dead_letters_its_message_and_others_flow(effects):
    await consumer(effects, delivery_limit=2).start()
    await send(effects, event(-1), *(event(n) for n in range(20)))
    await eventually(lambda: _equals(effect_count(effects), 20))

    channel = await effects.amqp.channel()
    dlq = await channel.declare_queue(effects.settings.dead_letter_queue, passive=True)

    async def dead_lettered() -> bool:
        message = await dlq.get(fail=False)
        if message is None:
            return False
        await message.ack()
        return Event.from_json(message.body).data == {"n": -1}

    await eventually(dead_lettered)


async def test_two_consumers_on_one_queue_process_each_event_once(effects):
    await consumer(effects).start()
    await consumer(effects).start()
    await send(effects, *(event(n) for n in range(200)))
    await eventually(lambda: _equals(effect_count(effects), 200))
    async with effects.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(DISTINCT n) FROM effects") == 200


async def test_consuming_resumes_by_itself_after_the_broker_drops_connections(effects):
    await consumer(effects).start()
    await send(effects, event(1))
    await eventually(lambda: _equals(effect_count(effects), 1))
    reconnected = asyncio.Event()
    effects.amqp.reconnect_callbacks.add(lambda *_: reconnected.set())
    await drop_broker_connections()

    async with asyncio.timeout(30):
        await reconnected.wait()
    await send(effects, event(2))
    await eventually(lambda: _equals(effect_count(effects), 2), within=30)


async def _equals(count, expected: int) -> bool:
    return await count == expected


async def test_events_about_one_learner_are_handled_in_the_order_they_arrive(plumbing):
    async with plumbing.pool.acquire() as conn:
        await conn.execute("CREATE TABLE handled (seq serial, subject text, n int)")

    async def slow_first(conn, event: Event) -> None:
        await asyncio.sleep((20 - event.data["n"]) * 0.005)  # later events are quicker
        await conn.execute(
            "INSERT INTO handled (subject, n) VALUES ($1, $2)", event.subject, event.data["n"]
        )

    handlers = {"demo.happened": slow_first}
    await Consumer.of_service(plumbing.pool, plumbing.amqp, plumbing.settings, handlers).start()
    events = [
        Event("demo.happened", "/tests", subject, {"n": n})
        for n in range(20)
        for subject in ("learner-a", "learner-b")
    ]
    await send(plumbing, *events)

    async def all_handled() -> bool:
        async with plumbing.pool.acquire() as conn:
            return await conn.fetchval("SELECT count(*) FROM handled") == 40

    await eventually(all_handled)
    async with plumbing.pool.acquire() as conn:
        rows = await conn.fetch("SELECT subject, n FROM handled ORDER BY seq")
    for subject in ("learner-a", "learner-b"):
        assert [r["n"] for r in rows if r["subject"] == subject] == list(range(20))


MALFORMED = {
    b"{not json": "not JSON",
    b'["an", "array"]': "not a JSON object",
    b'{"specversion": "1.0", "type": 7}': "type is a int, not a string",
    b'{"hello": "world"}': "type is missing",
    **{
        event(1).to_json().replace(b'"time":"', b'"time":0,"was":"'): "time is a int",
        event(1).to_json().replace(b'"id":"', b'"id":{"x":1},"was":"'): "id is a dict",
        event(1).to_json().replace(b'"id":"', b'"was":"'): "id is missing",
        event(1).to_json().replace(b'"subject":"s"', b'"subject":["s"]'): "subject is a list",
        event(1).to_json().replace(b'"data":{"n":1}', b'"data":[1]'): "data is a list",
        event(1).to_json().replace(b".v1", b".vX"): "has no name or version",
        Event("consent.granted", "/tests", "s", {"n": 1}).to_json(): (
            "sent as 'demo.happened' but says it is 'org.creditbank.consent.granted.v1'"
        ),
    },
}


async def test_a_malformed_message_is_dead_lettered_at_once_with_its_reason(effects):
    await consumer(effects, delivery_limit=5).start()
    channel = await effects.amqp.channel()
    exchange = await broker.declare_exchange(channel, effects.settings.exchange)
    for body in MALFORMED:
        await exchange.publish(aio_pika.Message(body), routing_key="demo.happened")
    await send(effects, event(7))
    await eventually(lambda: _equals(effect_count(effects), 1))

    dlq = await channel.declare_queue(effects.settings.dead_letter_queue, passive=True)
    refused: dict[bytes, str] = {}

    async def all_dead_lettered() -> bool:
        while (message := await dlq.get(fail=False)) is not None:
            await message.ack()
            refused[message.body] = str(message.headers["x-refused-because"])
        return len(refused) >= len(MALFORMED)

    await eventually(all_dead_lettered)
    assert set(refused) == set(MALFORMED)
    for body, reason in MALFORMED.items():
        assert reason in refused[body]
    await channel.close()
