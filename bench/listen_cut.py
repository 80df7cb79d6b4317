"""Event latency through the outbox relay before and after PostgreSQL ends every
connection of the service's database (a failover, a restart, pg_terminate_backend).

    .venv/bin/python -m bench.listen_cut [SECONDS_AFTER] [INTERVAL]

One event is committed every INTERVAL seconds (0.25 by default); each one's latency is
from its commit to its arrival in a queue bound to the exchange. The relay polls every
5 s, as in production: an event that waits that long was not woken by NOTIFY.

Measured on the 2-core development machine (2026-12-01), one event every 0.25 s, 2 s
before and 6 s after the cut (3 runs each):

    before cbkit.listen's watchdog (LISTEN back only after the next 5 s poll):
      before the cut: median 0.009-0.013 s, max 0.031-0.060 s
      after the cut:  median 1.56-1.60 s, max 4.42-4.45 s (23 events)
    with the watchdog (the ended connection wakes the relay, which listens again at once):
      before the cut: median 0.006-0.010 s, max 0.023-0.055 s
      after the cut:  median 0.005-0.006 s, max 0.016-0.021 s (23 events)
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
import uuid

import asyncpg

from cbkit import broker, db
from cbkit.app import PLUMBING_MIGRATIONS
from cbkit.envelope import Event
from cbkit.migrations import migrate
from cbkit.outbox import OutboxRelay, publish
from cbkit.settings import Settings, load_settings


async def cut(settings: Settings) -> None:
    admin = await asyncpg.connect(f"{settings.postgres_url}/postgres")
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            settings.database,
        )
    finally:
        await admin.close()


async def latencies(
    pool: asyncpg.Pool, arrived: dict[int, float], first: int, seconds: float, interval: float
) -> list[float]:
    committed: dict[int, float] = {}
    n = first
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        try:
            async with pool.acquire() as conn:
                await publish(conn, Event("bench.happened", "/bench", "learner", {"n": n}))
        except (asyncpg.InterfaceError, asyncpg.PostgresConnectionError):
            continue  # a pooled connection the cut ended: the next one is new
        committed[n] = time.perf_counter()
        n += 1
        await asyncio.sleep(interval)
    async with asyncio.timeout(30):
        while not all(k in arrived for k in committed):  # noqa: ASYNC110 - the measurement
            await asyncio.sleep(0.01)
    return [arrived[k] - committed[k] for k in committed]


def summary(figures: list[float]) -> str:
    median, most = statistics.median(figures), max(figures)
    return f"{len(figures)} events, median {median:.3f} s, max {most:.3f} s"


async def main(after: float, interval: float) -> None:
    prefix = f"bench_{uuid.uuid4().hex[:6]}"
    settings = load_settings("bench", {"CB_QUEUE_PREFIX": prefix})
    await db.ensure_database(settings.postgres_url, settings.database)
    pool = await db.create_pool(settings.database_url)
    connection = await broker.connect(settings.amqp_url)
    arrived: dict[int, float] = {}
    try:
        async with pool.acquire() as conn:
            await migrate(conn, [("cbkit", PLUMBING_MIGRATIONS)])
        channel = await connection.channel()
        exchange = await broker.declare_exchange(channel, settings.exchange)
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(exchange, "#")

        async def on_message(message: object) -> None:
            event = Event.from_json(message.body)  # type: ignore[attr-defined]
            arrived.setdefault(int(event.data["n"]), time.perf_counter())
            await message.ack()  # type: ignore[attr-defined]

        await queue.consume(on_message)
        relay = OutboxRelay(pool, connection, settings.exchange, settings.database_url)
        task = asyncio.create_task(relay.run())
        print("before the cut:", summary(await latencies(pool, arrived, 0, 2.0, interval)))
        await cut(settings)
        print("after the cut: ", summary(await latencies(pool, arrived, 10_000, after, interval)))
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await channel.exchange_delete(settings.exchange)
    finally:
        await broker.close(connection)
        await pool.close()
        await db.drop_database(settings.postgres_url, settings.database)


if __name__ == "__main__":
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 6.0
    asyncio.run(main(seconds, float(sys.argv[2]) if len(sys.argv) > 2 else 0.25))
