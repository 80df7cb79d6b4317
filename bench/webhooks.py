"""Benchmark (not a test): webhook deliveries of the notifications service.

Starts the notifications service as its own process (`python -m services.notifications`,
under a throwaway prefix: its own database and queue, removed at the end) and a
receiver in this process (uvicorn, one path per endpoint) that verifies every
delivery with the `standardwebhooks` library. Registers `--endpoints` endpoints
(one institution each, through GraphQL), gives `--learners` learners a consent to
every institution (bulk-loaded: setup, not measured), then publishes `--events`
credits.converted events of those learners as a burst on the exchange, as
conversion would. Every event goes to every endpoint: endpoints x events
deliveries. Reports deliveries per second (first publish to last delivery), the
event-to-delivery latency (the event's publication to its arrival at the
receiver) p50/p99, and that nothing was lost, doubled, badly signed or out of
order for a learner at an endpoint. With `--kill-after N` the service is killed
(SIGKILL) once N deliveries arrived and started again: still nothing lost.

    .venv/bin/python -m bench.webhooks [--endpoints 100] [--events 1000]
        [--learners 50] [--concurrency 32] [--kill-after 0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from bench.balance import cpu_seconds, free_port, wait_ready
from cbkit import broker, wire
from cbkit.auth import Role
from cbkit.envelope import Event
from cbkit.testing import TestStack, serve_tcp

REGISTER = """mutation($url: String!) {
  registerWebhookEndpoint(url: $url, eventTypes: [CREDITS_CONVERTED]) {
    secret endpoint { id } } }"""
PUBLISH_BATCH = 200


@dataclass
class Receiver:
    """What arrived: per endpoint, each webhook-id's first arrival, the order of
    credits per learner, and what was doubled or badly signed."""

    hooks: dict[str, Webhook] = field(default_factory=dict)
    arrived: dict[str, float] = field(default_factory=dict)
    """webhook-id -> when it first arrived (time.time())"""
    events: dict[str, str] = field(default_factory=dict)
    """webhook-id -> conversion id"""
    orders: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    doubled: int = 0
    bad: int = 0

    async def hook(self, request: Request) -> Response:
        try:
            body = await request.body()
        except ClientDisconnect:  # the service was killed mid-request
            return Response(status_code=400)
        now = time.time()
        name = request.path_params["name"]
        try:
            payload = self.hooks[name].verify(body, dict(request.headers))
        except (WebhookVerificationError, KeyError):
            self.bad += 1
            return Response(status_code=400)
        webhook_id = request.headers["webhook-id"]
        if webhook_id in self.arrived:
            self.doubled += 1
        else:
            self.arrived[webhook_id] = now
            data = payload["data"]
            self.events[webhook_id] = data["conversionId"]
            self.orders[name, data["learnerId"]].append(int(data["courseCode"].split("-")[1]))
        return Response(status_code=204)


def receiving_app(receiver: Receiver) -> Starlette:
    return Starlette(routes=[Route("/hook/{name}", receiver.hook, methods=["POST"])])


async def start_service(
    stack: TestStack, workdir: Path, port: int, args: argparse.Namespace, run: int
) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        **stack.env(),
        "CB_NOTIFICATIONS_PORT": str(port),
        "CB_LOG_LEVEL": "WARNING",
        "CB_WEBHOOK_CONCURRENCY": str(args.concurrency),
    }
    log = (workdir / f"notifications-{run}.log").open("wb")
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.notifications",
        env=env,
        stdout=log,
        stderr=asyncio.subprocess.STDOUT,
    )
    await wait_ready(f"http://127.0.0.1:{port}", server, name="notifications")
    return server


async def register(
    url: str, stack: TestStack, receiver: Receiver, receiver_url: str, count: int
) -> list[str]:
    institutions = []
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for n in range(count):
            institution = str(uuid.uuid4())
            token = stack.token(institution, Role.INSTITUTION)
            response = await client.post(
                "/graphql",
                json={"query": REGISTER, "variables": {"url": f"{receiver_url}/hook/{n}"}},
                headers={"Authorization": f"Bearer {token}"},
            )
            created = response.json()["data"]["registerWebhookEndpoint"]
            receiver.hooks[str(n)] = Webhook(created["secret"])
            institutions.append(institution)
    return institutions


async def consent(database_url: str, learners: list[str], institutions: list[str]) -> None:
    """Every learner consents to every institution (rows of the consent copy)."""
    now = datetime.now(UTC)
    rows = [
        (uuid.uuid4(), uuid.UUID(lr), uuid.UUID(i), now, now + timedelta(days=365), None)
        for lr in learners
        for i in institutions
    ]
    conn = await asyncpg.connect(database_url)
    try:
        await conn.copy_records_to_table(
            "webhook_consents",
            records=rows,
            columns=[
                "consent_id", "learner_id", "institution_id", "granted_at", "expires_at",
                "revoked_at",
            ],
        )  # fmt: skip
    finally:
        await conn.close()


def converted(learner: str, n: int) -> Event:
    data = {
        "conversionId": str(uuid.uuid4()),
        "learnerId": learner,
        "outcomeId": str(uuid.uuid4()),
        "courseCode": f"C-{n}",
        "majorCode": "ED",
        "credits": "2.0",
        "ruleId": str(uuid.uuid4()),
        "expiresOn": None,
        "convertedAt": wire.instant(datetime.now(UTC)),
    }
    return Event("credits.converted", "/services/conversion", learner, data)


async def publish(stack: TestStack, events: list[Event]) -> dict[str, float]:
    """Publish the events in order as a burst; when each was published (time.time())."""
    import aio_pika

    settings = stack.settings("notifications")
    connection = await broker.connect(settings.amqp_url)
    published: dict[str, float] = {}
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await broker.declare_exchange(channel, settings.exchange)
        for first in range(0, len(events), PUBLISH_BATCH):
            batch = events[first : first + PUBLISH_BATCH]
            for event in batch:
                published[event.data["conversionId"]] = time.time()
            await asyncio.gather(
                *(
                    exchange.publish(
                        aio_pika.Message(
                            e.to_json(),
                            message_id=str(e.id),
                            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                        ),
                        routing_key=e.routing_key,
                    )
                    for e in batch
                )
            )
    finally:
        await broker.close(connection)
    return published


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def main(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="cbbench-"))
    stack = TestStack(workdir / "jwks.json")
    receiver = Receiver()
    port = free_port()
    async with serve_tcp(receiving_app(receiver)) as receiver_url:
        await run(args, stack, workdir, receiver, receiver_url, port)


async def run(
    args: argparse.Namespace,
    stack: TestStack,
    workdir: Path,
    receiver: Receiver,
    receiver_url: str,
    port: int,
) -> None:
    settings = stack.settings("notifications")
    url = f"http://127.0.0.1:{port}"
    service = await start_service(stack, workdir, port, args, 1)
    try:
        institutions = await register(url, stack, receiver, receiver_url, args.endpoints)
        learners = [str(uuid.uuid4()) for _ in range(args.learners)]
        await consent(settings.database_url, learners, institutions)
        events = [converted(learners[n % len(learners)], n) for n in range(args.events)]
        expected = len(events) * len(institutions)
        print(
            f"{len(institutions)} endpoints x {len(events):,} events = {expected:,} deliveries;"
            f" {len(learners)} learners consenting to every institution; worker concurrency"
            f" {args.concurrency} per replica, one replica; receiver: one uvicorn in this process"
        )
        started = time.time()
        cpu_before, own_before = cpu_seconds(service.pid), time.process_time()
        published = await publish(stack, events)
        print(f"published {len(events):,} events in {time.time() - started:.2f} s")
        killed = False
        deadline = time.monotonic() + args.timeout
        while len(receiver.arrived) < expected and time.monotonic() < deadline:
            if args.kill_after and not killed and len(receiver.arrived) >= args.kill_after:
                service.send_signal(signal.SIGKILL)
                await service.wait()
                print(f"killed the service (SIGKILL) at {len(receiver.arrived):,} deliveries")
                service = await start_service(stack, workdir, port, args, 2)
                print(f"started it again at {len(receiver.arrived):,} deliveries")
                killed = True
            await asyncio.sleep(0.2)
        finished = max(receiver.arrived.values(), default=started)
        service_cpu = cpu_seconds(service.pid) - cpu_before if not killed else None
        receiver_cpu = time.process_time() - own_before
        await asyncio.sleep(2.0)  # anything doubled late is counted too

        latencies = sorted(
            at - published[receiver.events[webhook_id]]
            for webhook_id, at in receiver.arrived.items()
        )
        out_of_order = sum(1 for order in receiver.orders.values() if order != sorted(order))
        seconds = finished - started
        print(
            f"delivered {len(receiver.arrived):,} of {expected:,} in {seconds:.1f} s:"
            f" {len(receiver.arrived) / seconds:,.0f} deliveries/s"
        )
        print(
            f"event-to-delivery latency p50 {statistics.median(latencies) * 1000:,.0f} ms"
            f"  p99 {percentile(latencies, 0.99) * 1000:,.0f} ms"
            f"  max {latencies[-1] * 1000:,.0f} ms"
        )
        delivered = max(len(receiver.arrived), 1)
        if service_cpu is not None:
            print(
                f"CPU per delivery: service {service_cpu / delivered * 1000:.2f} ms,"
                f" receiver and publisher (this process) {receiver_cpu / delivered * 1000:.2f} ms"
            )
        print(
            f"not delivered {expected - len(receiver.arrived):,},"
            f" delivered twice {receiver.doubled:,} (at-least-once: only after a kill),"
            f" badly signed {receiver.bad:,},"
            f" learners out of order at an endpoint {out_of_order:,}"
        )
        conn = await asyncpg.connect(settings.database_url)
        try:
            states = await conn.fetch(
                "SELECT state, count(*) AS n FROM webhook_deliveries GROUP BY state ORDER BY state"
            )
            attempts = await conn.fetchval("SELECT count(*) FROM webhook_attempts")
            queued = await conn.fetchrow(
                "SELECT extract(epoch FROM max(created_at) - min(created_at)) AS queueing,"
                " extract(epoch FROM max(delivered_at) - min(created_at)) AS delivering"
                " FROM webhook_deliveries"
            )
        finally:
            await conn.close()
        print(
            "deliveries by state: "
            + ", ".join(f"{r['state']} {r['n']:,}" for r in states)
            + f"; attempts logged {attempts:,}"
        )
        assert queued is not None
        print(
            f"events queued as deliveries within {queued['queueing']:.1f} s of the first;"
            f" the last delivered {queued['delivering']:.1f} s after the first was queued"
        )
    finally:
        if service.returncode is None:
            service.terminate()
            await asyncio.wait_for(service.wait(), 30)
        await stack.cleanup()


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", type=int, default=100)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--kill-after", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=600.0)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse(sys.argv[1:])))
