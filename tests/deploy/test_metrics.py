"""The figures deploy/prometheus's alerts read that the services did not export before:
the outbox relay's lag and the consumers' event lag, as /metrics shows them."""

from datetime import UTC, datetime, timedelta

import aio_pika
from prometheus_client import REGISTRY

from cbkit import broker
from cbkit.consumer import Consumer
from cbkit.envelope import Event
from cbkit.outbox import OutboxRelay, publish
from cbkit.testing import eventually
from tests.cbkit.conftest import Plumbing


def event(n: int, time: datetime | None = None) -> Event:
    when = time or datetime.now(UTC)
    return Event("demo.happened", source="/tests", subject="s", data={"n": n}, time=when)


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_the_relay_shows_how_long_its_oldest_unsent_event_has_waited(plumbing: Plumbing):
    async with plumbing.pool.acquire() as conn:
        for n in range(2):
            await publish(conn, event(n))
        await conn.execute("UPDATE outbox SET created_at = now() - interval '90 seconds'")
    relay = OutboxRelay(
        plumbing.pool,
        plumbing.amqp,
        plumbing.settings.exchange,
        plumbing.settings.database_url,
        batch_size=1,
    )
    channel = await plumbing.amqp.channel(publisher_confirms=True)
    exchange = await broker.declare_exchange(channel, plumbing.settings.exchange)

    assert await relay._relay_batch(exchange) == 1  # one sent, one still waiting
    assert 90 <= sample("cb_outbox_oldest_unsent_seconds") < 120
    assert await relay._relay_batch(exchange) == 1
    assert await relay._relay_batch(exchange) == 0  # nothing waits any more
    assert sample("cb_outbox_oldest_unsent_seconds") == 0
    await channel.close()


async def test_a_consumer_shows_how_far_behind_the_events_it_handles_are(plumbing: Plumbing):
    async def handle(conn, event: Event) -> None:
        pass

    consumer = Consumer.of_service(
        plumbing.pool, plumbing.amqp, plumbing.settings, {"demo.happened": handle}
    )
    await consumer.start()
    lag = "cb_consumer_event_lag_seconds_bucket"
    within_a_minute, within_five = sample(lag, le="60.0"), sample(lag, le="300.0")
    handled = sample("cb_consumer_event_lag_seconds_count")

    late = event(1, datetime.now(UTC) - timedelta(minutes=2))
    on_time = event(2)
    channel = await plumbing.amqp.channel()
    exchange = await broker.declare_exchange(channel, plumbing.settings.exchange)
    # the late event twice (handled once, counted once), then one on time: events about one
    # subject are handled in order, so once it is counted the duplicate was seen
    for sent in (late, late, on_time):
        message = aio_pika.Message(sent.to_json(), message_id=str(sent.id))
        await exchange.publish(message, routing_key=sent.routing_key)
    await channel.close()

    async def both_counted() -> bool:
        return sample("cb_consumer_event_lag_seconds_count") >= handled + 2

    await eventually(both_counted)
    assert sample("cb_consumer_event_lag_seconds_count") == handled + 2
    assert sample(lag, le="300.0") == within_five + 2
    assert sample(lag, le="60.0") == within_a_minute + 1  # two minutes late is not within one
