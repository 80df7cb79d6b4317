"""The first step of a graceful stop (SIGTERM): readiness says 503 and the consumer takes
no more deliveries; what arrives after stays in the queue for another replica."""

import dataclasses

import aio_pika

from cbkit import broker
from cbkit.db import Connection
from cbkit.envelope import Event
from cbkit.testing.clients import eventually

from .test_app import SPEC as APP

HANDLED: list[int] = []


async def remember(conn: Connection, event: Event) -> None:
    HANDLED.append(event.data["n"])


SPEC = dataclasses.replace(APP, name="drained", handlers=lambda _: {"demo.happened": remember})


async def send(connection: aio_pika.abc.AbstractRobustConnection, exchange: str, n: int) -> None:
    channel = await connection.channel(publisher_confirms=True)
    events = await broker.declare_exchange(channel, exchange)
    event = Event("demo.happened", "/tests", "learner-1", {"n": n})
    await events.publish(aio_pika.Message(event.to_json()), routing_key=event.routing_key)
    await channel.close()


async def test_a_draining_service_is_not_ready_and_leaves_new_events_in_its_queue(run_service):
    async with run_service(SPEC, "drain") as client:
        settings = client.runtime.settings
        amqp = client.runtime.amqp
        await send(amqp, settings.exchange, 1)

        async def handled_first() -> bool:
            return HANDLED == [1]

        await eventually(handled_first)
        assert (await client.get("/readyz")).status_code == 200

        client.runtime.drain()
        readiness = await client.get("/readyz")
        assert readiness.status_code == 503
        assert readiness.json() == {"stopping": True}
        await send(amqp, settings.exchange, 2)

    assert HANDLED == [1]
    connection = await broker.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(settings.queue, passive=True)
        assert queue.declaration_result.message_count == 1  # the second, for another replica
        message = await queue.get()
        assert Event.from_json(message.body).data == {"n": 2}
        await message.ack()
