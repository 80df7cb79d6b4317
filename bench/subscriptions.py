"""Credit event delivery through one gateway to many WebSocket subscribers (not a test).

    .venv/bin/python -m bench.subscriptions [--admins 20] [--learners 60]
        [--per-learner 3] [--events 1000] [--rate 200] [--direct]

Starts every service and our gateway as processes (cbkit.testing.RunningSystem, under a
throwaway prefix removed afterwards), opens `learners` accounts through the gateway,
then connects `admins + learners * per-learner` subscribers to the gateway (default
20 + 60 x 3 = 200), each over its own graphql-transport-ws connection with its token
in connection_init, subscribed to `creditEvents(types: ["credits.converted"])`.
It then publishes `events` credits.converted events for the learners (round robin) to
the system's exchange at `rate` per second, each stamped with the time it was
produced. An admin is entitled to every event, a learner's subscriber to that
learner's. Reports deliveries expected and received, losses, duplicates, events out of
order, and the delivery latency p50/p99/max (produced -> received by the subscriber,
through accounts' consumer, its feed, its subscription and the gateway), plus the
gateway's and accounts' CPU seconds. `--direct` subscribes to accounts itself, for
comparison: what the gateway adds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
import uuid
from dataclasses import dataclass, field

import aio_pika
import httpx

from bench.gateway import cpu_seconds, running_system
from cbkit.auth import Role
from cbkit.envelope import CONTENT_TYPE, Event
from cbkit.testing import eventually
from gateway.tests.world import OPEN, PASSWORD, must
from gateway.tests.ws_client import GraphQLWebSocket

SUBSCRIPTION = """subscription {
  creditEvents(types: ["credits.converted"]) { id cursor learnerId data }
}"""


@dataclass
class Subscriber:
    name: str
    token: str
    learner_id: str | None
    """None for an admin: entitled to every event."""
    received: list[str] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    """Feed positions (from the cursors) in the order received: must only increase."""
    latencies: list[float] = field(default_factory=list)
    errors: list[object] = field(default_factory=list)
    ready: asyncio.Event = field(default_factory=asyncio.Event)


async def follow(url: str, subscriber: Subscriber, stop: asyncio.Event) -> None:
    async with GraphQLWebSocket.initialised(url, subscriber.token) as socket:
        await socket.subscribe("credit-events", SUBSCRIPTION)
        subscriber.ready.set()
        while not stop.is_set():
            try:
                message = await socket.receive(within=0.5)
            except TimeoutError:
                continue
            now = time.time()
            if message.get("type") != "next" or message["payload"].get("errors"):
                subscriber.errors.append(message)
                continue
            event = message["payload"]["data"]["creditEvents"]
            subscriber.received.append(event["data"]["conversionId"])
            subscriber.positions.append(int(event["cursor"].rsplit(":", 1)[-1]))
            subscriber.latencies.append(now - float(event["data"]["benchProducedAt"]))


async def open_learners(gateway: str, count: int) -> list[tuple[str, str]]:
    """(account id, token) of `count` new learners, opened through the gateway."""
    gate = asyncio.Semaphore(8)
    async with httpx.AsyncClient(timeout=60) as client:

        async def one(index: int) -> tuple[str, str]:
            variables = {"e": f"bench.{index}@example.org", "p": PASSWORD, "n": f"L{index}"}
            async with gate:
                opened = (await must(client, gateway, OPEN, variables))["openAccount"]
            return opened["account"]["id"], opened["token"]

        return list(await asyncio.gather(*(one(i) for i in range(count))))


async def produce(
    amqp_url: str, exchange_name: str, learners: list[str], events: int, rate: float
) -> list[tuple[str, str]]:
    """Publish credits.converted events; returns (conversion id, learner id) in order."""
    produced: list[tuple[str, str]] = []
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(exchange_name)
        started = time.perf_counter()
        for index in range(events):
            learner = learners[index % len(learners)]
            conversion = str(uuid.uuid4())
            event = Event(
                routing_key="credits.converted",
                source="bench",
                subject=learner,
                data={
                    "conversionId": conversion,
                    "learnerId": learner,
                    "outcomeId": str(uuid.uuid4()),
                    "courseCode": "BENCH-101",
                    "majorCode": "BENCH",
                    "credits": "0.5",
                    "ruleId": str(uuid.uuid4()),
                    "expiresOn": None,
                    "convertedAt": None,
                    "benchProducedAt": time.time(),
                },
            )
            message = aio_pika.Message(
                event.to_json(),
                message_id=str(event.id),
                content_type=CONTENT_TYPE,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            )
            await exchange.publish(message, routing_key=event.routing_key)
            produced.append((conversion, learner))
            delay = started + (index + 1) / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
    return produced


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else 0.0


async def main(
    admins: int, learners: int, per_learner: int, events: int, rate: float, direct: bool
) -> int:
    async with running_system("benchsub") as (system, stack, _):
        gateway = system.gateway
        target = f"{system.url('accounts')}/graphql" if direct else gateway
        opened = await open_learners(gateway, learners)
        subscribers = [
            Subscriber(f"admin{i}", stack.token(str(uuid.uuid4()), Role.ADMIN), None)
            for i in range(admins)
        ]
        subscribers += [
            Subscriber(f"learner{i}.{j}", token, learner_id)
            for i, (learner_id, token) in enumerate(opened)
            for j in range(per_learner)
        ]
        stop = asyncio.Event()
        tasks = [asyncio.create_task(follow(target, s, stop)) for s in subscribers]
        await asyncio.wait_for(asyncio.gather(*(s.ready.wait() for s in subscribers)), timeout=60)
        await asyncio.sleep(1.0)  # every upstream subscription reached accounts
        settings = stack.settings("accounts", "benchsub")
        pids = {name: system.processes[name].pid for name in ("gateway", "accounts")}
        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        print(f"{len(subscribers)} subscribers connected; producing", file=sys.stderr)
        began = time.perf_counter()
        produced = await produce(
            settings.amqp_url, settings.exchange, [i for i, _ in opened], events, rate
        )
        production = time.perf_counter() - began

        def expected_of(subscriber: Subscriber) -> list[str]:
            return [
                c
                for c, learner in produced
                if subscriber.learner_id is None or learner == subscriber.learner_id
            ]

        expected = {s.name: expected_of(s) for s in subscribers}

        async def all_delivered() -> bool:
            return all(len(s.received) >= len(expected[s.name]) for s in subscribers)

        with contextlib.suppress(AssertionError):
            await eventually(all_delivered, within=60)
        drained = time.perf_counter() - began
        await asyncio.sleep(1.0)  # anything late or duplicated shows up too
        cpu = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)

        wanted = sum(len(v) for v in expected.values())
        got = sum(len(s.received) for s in subscribers)
        lost = sum(len(set(expected[s.name]) - set(s.received)) for s in subscribers)
        duplicates = sum(len(s.received) - len(set(s.received)) for s in subscribers)
        out_of_order = sum(1 for s in subscribers if s.positions != sorted(set(s.positions)))
        errors = sum(len(s.errors) for s in subscribers)
        latencies = [latency for s in subscribers for latency in s.latencies]
        print(
            f"subscribers {len(subscribers)} ({admins} admins, {learners} learners x "
            f"{per_learner}), events {events} at {rate:.0f}/s "
            f"(produced in {production:.1f}s, all delivered after {drained:.1f}s)\n"
            f"deliveries expected {wanted}, received {got}, lost {lost}, "
            f"duplicates {duplicates}, subscribers out of order {out_of_order}, "
            f"errors {errors}\n"
            f"latency produced->received: p50 {percentile(latencies, 0.5):.1f} ms, "
            f"p99 {percentile(latencies, 0.99):.1f} ms, max {percentile(latencies, 1):.1f} ms\n"
            f"CPU seconds: gateway {cpu['gateway']:.2f} "
            f"({cpu['gateway'] / max(got, 1) * 1e6:.0f} us per delivery), "
            f"accounts {cpu['accounts']:.2f}; subscribers on {target}"
        )
        return 0 if lost == duplicates == out_of_order == errors == 0 else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--admins", type=int, default=20)
    parser.add_argument("--learners", type=int, default=60)
    parser.add_argument("--per-learner", type=int, default=3)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument(
        "--direct", action="store_true", help="subscribe to accounts itself (no gateway)"
    )
    args = parser.parse_args()
    raise SystemExit(
        asyncio.run(
            main(args.admins, args.learners, args.per_learner, args.events, args.rate, args.direct)
        )
    )
