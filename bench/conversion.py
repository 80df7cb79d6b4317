"""Rules engine throughput: approvals through RabbitMQ into conversion, one run.

    .venv/bin/python -m bench.conversion [APPROVALS] [RULES] [REPLICAS] [RATE]

Starts the conversion service in-process (migrations, relay, consumer) on a
throwaway database and exchange, loads a catalog of RULES credential rules (one
course each), publishes APPROVALS `certification.approved` events (5 per
learner, distinct credentials, so none hits a cap) and listens for
`credits.converted`. Reports conversions per second and the median and p99
time from an approval published to its `credits.converted` received (which
includes the outbox relay). RATE (approvals/s, 0 = all at once) paces the
publisher to see latency without a backlog. Everything it created is removed at the end.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import aio_pika
import orjson

from cbkit import broker, db
from cbkit.app import Runtime, create_app
from cbkit.envelope import Event
from cbkit.settings import load_settings
from services.conversion.domain import Edit
from services.conversion.service import build
from services.conversion.service_layer import catalog

PER_LEARNER = 5
BATCH = 500


async def load_catalog(runtime: Runtime, rules: int) -> list[str]:
    codes = []
    now = datetime.now(UTC)
    edit = Edit(by=None, at=now, today=now.date())
    async with runtime.pool.acquire() as conn, conn.transaction():
        await catalog.upsert_major(conn, edit, "BENCH", "Benchmark major", None)
        await catalog.set_annual_cap(conn, edit, Decimal("42"))
        for i in range(rules):
            course = await catalog.upsert_course(
                conn, edit, f"BC{i:04d}", f"Course {i}", Decimal("3.0"), "BENCH"
            )
            credential = await catalog.upsert_credential_type(
                conn, edit, f"CRED-{i:04d}", f"Credential {i}", "Bench authority"
            )
            await catalog.upsert_rule(
                conn,
                edit,
                id=None,
                credential_code=credential.code,
                outcome_kind=None,
                min_hours=None,
                course_code=course.code,
                credits=Decimal("3.0"),
                valid_from=datetime(2015, 1, 1).date(),
                valid_until=None,
                credit_validity_years=5,
            )
            codes.append(credential.code)
    return codes


def approvals(n: int, credentials: list[str]) -> list[Event]:
    events = []
    rng = random.Random(7)
    for first in range(0, n, PER_LEARNER):
        learner = str(uuid.uuid4())
        for credential in rng.sample(credentials, min(PER_LEARNER, n - first)):
            events.append(
                Event(
                    "certification.approved",
                    "/bench",
                    learner,
                    {
                        "caseId": str(uuid.uuid4()),
                        "outcomeId": str(uuid.uuid4()),
                        "learnerId": learner,
                        "reviewerId": str(uuid.uuid4()),
                        "kind": "QUALIFICATION_CERTIFICATE",
                        "credentialCode": credential,
                        "hours": None,
                        "achievedOn": "2024-06-30",
                        "decidedAt": datetime.now(UTC).isoformat(),
                        "sequence": 3,
                    },
                )
            )
    return events


async def run(n: int, rules: int, replicas: int, rate: int) -> None:
    prefix = f"cbbench_{uuid.uuid4().hex[:8]}"
    env = {"CB_QUEUE_PREFIX": prefix, "CB_EXCHANGE": f"{prefix}.events", "CB_ENV": "test"}
    settings = load_settings("conversion", env)
    runtimes = [create_app(build(), settings).state.runtime for _ in range(replicas)]
    connection = await broker.connect(settings.amqp_url)
    try:
        for runtime in runtimes:
            await runtime.start()
        started = time.perf_counter()
        credentials = await load_catalog(runtimes[0], rules)
        print(f"catalog: {rules} rules loaded in {time.perf_counter() - started:.1f}s")

        channel = await connection.channel(publisher_confirms=True)
        exchange = await broker.declare_exchange(channel, settings.exchange)
        listen = await connection.channel()
        queue = await listen.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, routing_key="credits.converted")
        sent_at: dict[str, float] = {}
        latencies: list[float] = []
        done = asyncio.Event()

        async def on_converted(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            received = time.perf_counter()
            outcome = orjson.loads(message.body)["data"]["outcomeId"]
            latencies.append(received - sent_at[outcome])
            await message.ack()
            if len(latencies) == n:
                done.set()

        await queue.consume(on_converted)
        events = approvals(n, credentials)
        first_sent = time.perf_counter()
        step = max(1, rate // 10) if rate else BATCH
        for first in range(0, n, step):
            if rate:
                await asyncio.sleep(max(0.0, first_sent + first / rate - time.perf_counter()))
            batch = events[first : first + step]
            for event in batch:
                sent_at[event.data["outcomeId"]] = time.perf_counter()
            await asyncio.gather(
                *(
                    exchange.publish(
                        aio_pika.Message(event.to_json(), message_id=str(event.id)),
                        routing_key=event.routing_key,
                    )
                    for event in batch
                )
            )
        published = time.perf_counter() - first_sent
        await asyncio.wait_for(done.wait(), timeout=600)
        elapsed = time.perf_counter() - first_sent
        latencies.sort()
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(
            f"replicas: {replicas}; approvals: {n}; rate: {rate or 'burst'};"
            f" published in {published:.2f}s"
        )
        print(f"conversions: {len(latencies)} in {elapsed:.2f}s = {n / elapsed:.0f}/s")
        print(
            f"approved -> converted: median {statistics.median(latencies) * 1000:.0f} ms,"
            f" p99 {p99 * 1000:.0f} ms"
        )
    finally:
        for runtime in runtimes:
            await runtime.stop()
        channel = await connection.channel()
        for name in (settings.queue, settings.dead_letter_queue):
            await channel.queue_delete(name)
        for name in (settings.exchange, settings.dead_letter_exchange):
            await channel.exchange_delete(name)
        await connection.close()
        await db.drop_database(settings.postgres_url, settings.database)


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    asyncio.run(run(*(args + [10_000, 1_000, 1, 0][len(args) :])))
