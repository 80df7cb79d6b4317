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
order for a learner at an endpoint. With `--replicas N` N processes of the service
share the work (one database, one queue). With `--kill-after N` a replica is killed
(SIGKILL) once N deliveries arrived and started again: still nothing lost (the
kill test, services/notifications/tests/test_kill.py, asserts it). The pieces it
shares with that test are in services/notifications/tests/burst.py.

    .venv/bin/python -m bench.webhooks [--endpoints 100] [--events 1000]
        [--learners 50] [--concurrency 32] [--replicas 1] [--kill-after 0]
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg

from bench.balance import cpu_seconds, free_port
from cbkit.testing import TestStack, serve_tcp
from services.notifications.tests.burst import (
    Receiver,
    consent,
    converted,
    publish,
    receiving_app,
    register,
    service_env,
    start_service,
)


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def main(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="cbbench-"))
    stack = TestStack(workdir / "jwks.json")
    receiver = Receiver()
    async with serve_tcp(receiving_app(receiver)) as receiver_url:
        await run(args, stack, workdir, receiver, receiver_url)


class Replicas:
    """`count` processes of the service side by side (one database and queue), each
    on its own port."""

    def __init__(self, stack: TestStack, workdir: Path, args: argparse.Namespace) -> None:
        self.ports = [free_port() for _ in range(args.replicas)]
        self.envs = [
            service_env(stack, "", port, CB_WEBHOOK_CONCURRENCY=str(args.concurrency))
            for port in self.ports
        ]
        self.logs = [workdir / f"notifications-{n}.log" for n in range(args.replicas)]
        self.processes: list[asyncio.subprocess.Process] = []

    async def start(self) -> None:
        for env, port, log in zip(self.envs, self.ports, self.logs, strict=True):
            self.processes.append(await start_service(env, port, log))

    async def kill_and_restart(self, n: int) -> None:
        self.processes[n].send_signal(signal.SIGKILL)
        await self.processes[n].wait()
        self.processes[n] = await start_service(self.envs[n], self.ports[n], self.logs[n])

    def cpu(self) -> float:
        return sum(cpu_seconds(p.pid) for p in self.processes)

    async def stop(self) -> None:
        for process in self.processes:
            if process.returncode is None:
                process.terminate()
        for process in self.processes:
            await asyncio.wait_for(process.wait(), 30)


async def run(
    args: argparse.Namespace,
    stack: TestStack,
    workdir: Path,
    receiver: Receiver,
    receiver_url: str,
) -> None:
    settings = stack.settings("notifications")
    replicas = Replicas(stack, workdir, args)
    await replicas.start()
    try:
        url = f"http://127.0.0.1:{replicas.ports[0]}"
        institutions = await register(url, stack, receiver, receiver_url, args.endpoints)
        learners = [str(uuid.uuid4()) for _ in range(args.learners)]
        await consent(settings.database_url, learners, institutions)
        events = [converted(learners[n % len(learners)], n) for n in range(args.events)]
        expected = len(events) * len(institutions)
        print(
            f"{len(institutions)} endpoints x {len(events):,} events = {expected:,} deliveries;"
            f" {len(learners)} learners consenting to every institution; worker concurrency"
            f" {args.concurrency} per replica, {args.replicas} replica(s); receiver: one"
            " uvicorn in this process"
        )
        started = time.time()
        cpu_before, own_before = replicas.cpu(), time.process_time()
        published = await publish(settings, events)
        print(f"published {len(events):,} events in {time.time() - started:.2f} s")
        killed = False
        deadline = time.monotonic() + args.timeout
        while len(receiver.arrived) < expected and time.monotonic() < deadline:
            if args.kill_after and not killed and len(receiver.arrived) >= args.kill_after:
                print(f"killing a replica (SIGKILL) at {len(receiver.arrived):,} deliveries")
                await replicas.kill_and_restart(0)
                print(f"started it again at {len(receiver.arrived):,} deliveries")
                killed = True
            await asyncio.sleep(0.2)
        finished = max(receiver.arrived.values(), default=started)
        service_cpu = replicas.cpu() - cpu_before if not killed else None
        receiver_cpu = time.process_time() - own_before
        await asyncio.sleep(2.0)  # anything doubled late is counted too

        latencies = sorted(
            at - published[receiver.events[webhook_id]]
            for webhook_id, at in receiver.arrived.items()
        )
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
                f"CPU per delivery: service {service_cpu / delivered * 1000:.2f} ms"
                f" (all replicas), receiver and publisher (this process)"
                f" {receiver_cpu / delivered * 1000:.2f} ms"
            )
        print(
            f"not delivered {expected - len(receiver.arrived):,},"
            f" delivered twice {receiver.doubled:,} (at-least-once: only after a kill),"
            f" badly signed {receiver.bad:,},"
            f" learners out of order at an endpoint {receiver.out_of_order():,}"
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
        await replicas.stop()
        await stack.cleanup()


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", type=int, default=100)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--kill-after", type=int, default=0)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600.0)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse(sys.argv[1:])))
