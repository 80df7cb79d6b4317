"""Outbox relay throughput next to raw confirmed publishing, in one run.

    .venv/bin/python -m bench.outbox [N] [ROUNDS]

Both paths publish N persistent messages with publisher confirms to the same
kind of exchange; the outbox path also writes each event in a Postgres
transaction first and marks it sent after the confirm. Goal: the relay reaches
at least half the raw rate.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
import uuid

import aio_pika

from cbkit import broker, db
from cbkit.app import PLUMBING_MIGRATIONS
from cbkit.envelope import Event
from cbkit.migrations import migrate
from cbkit.outbox import OutboxRelay, publish
from cbkit.settings import load_settings

BATCH = 500


def make_event(n: int) -> Event:
    return Event("bench.happened", "/bench", "learner", {"n": n, "credits": "2.0"})


async def raw_publish(
    connection: aio_pika.abc.AbstractRobustConnection, exchange_name: str, n: int
) -> float:
    channel = await connection.channel(publisher_confirms=True)
    exchange = await broker.declare_exchange(channel, exchange_name)
    started = time.perf_counter()
    for first in range(0, n, BATCH):
        await asyncio.gather(
            *(
                exchange.publish(
                    aio_pika.Message(
                        make_event(i).to_json(), delivery_mode=aio_pika.DeliveryMode.PERSISTENT
                    ),
                    routing_key="bench.happened",
                )
                for i in range(first, min(first + BATCH, n))
            )
        )
    return time.perf_counter() - started


async def outbox_publish(settings_prefix: str, exchange: str, n: int) -> float:
    settings = load_settings("bench", {"CB_QUEUE_PREFIX": settings_prefix})
    await db.ensure_database(settings.postgres_url, settings.database)
    pool = await db.create_pool(settings.database_url)
    connection = await broker.connect(settings.amqp_url)
    try:
        async with pool.acquire() as conn:
            await migrate(conn, [("cbkit", PLUMBING_MIGRATIONS)])
            async with conn.transaction():
                for i in range(n):
                    await publish(conn, make_event(i))
        relay = OutboxRelay(pool, connection, exchange, settings.database_url, batch_size=BATCH)
        started = time.perf_counter()
        task = asyncio.create_task(relay.run())
        async with pool.acquire() as conn:
            unsent = "SELECT count(*) FROM outbox WHERE sent_at IS NULL"
            while await conn.fetchval(unsent):  # noqa: ASYNC110 - polling is the measurement
                await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - started
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return elapsed
    finally:
        await connection.close()
        await pool.close()
        await db.drop_database(settings.postgres_url, settings.database)


async def main(n: int, rounds: int) -> None:
    prefix = f"bench_{uuid.uuid4().hex[:6]}"
    settings = load_settings("bench", {"CB_QUEUE_PREFIX": prefix})
    connection = await broker.connect(settings.amqp_url)
    channel = await connection.channel()
    exchange = await broker.declare_exchange(channel, f"{prefix}.events")
    sink = await channel.declare_queue(f"{prefix}.sink", durable=True)
    await sink.bind(exchange, "#")
    raw_rates, relay_rates = [], []
    for round_ in range(rounds):
        raw_rates.append(n / await raw_publish(connection, f"{prefix}.events", n))
        await sink.purge()
        relay_rates.append(n / await outbox_publish(f"{prefix}_{round_}", f"{prefix}.events", n))
        await sink.purge()
        print(f"round {round_ + 1}: raw {raw_rates[-1]:,.0f}/s, relay {relay_rates[-1]:,.0f}/s")
    await sink.delete(if_unused=False, if_empty=False)
    await channel.exchange_delete(f"{prefix}.events")
    await connection.close()
    raw, relayed = statistics.median(raw_rates), statistics.median(relay_rates)
    print(f"events per round: {n}, rounds: {rounds}, confirmed batches of {BATCH}")
    print(f"raw aio-pika publishing, median: {raw:,.0f} events/s")
    print(f"outbox relay (read, publish, confirm, mark sent), median: {relayed:,.0f} events/s")
    print(f"relay / raw: {relayed / raw:.2f}")


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    asyncio.run(main(count, int(sys.argv[2]) if len(sys.argv) > 2 else 3))
