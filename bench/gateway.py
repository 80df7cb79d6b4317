"""Our gateway against Apollo Gateway on the running system (not a test).

    .venv/bin/python -m bench.gateway [--concurrency 16] [--seconds 8] [--rounds 2]

Starts every service and our gateway as processes (cbkit.testing.RunningSystem, under
a throwaway prefix removed afterwards), Apollo Gateway (node) on the same subgraphs,
seeds the reference story (a learner with results, certifications, conversions, a
certificate), then runs closed-loop load at fixed concurrency on the transcript and
balance operations, alternating the two gateways in the same run. Reports requests per
second, p50/p99 latency, and CPU seconds per request of each gateway process (from
/proc/<pid>/stat, all threads), plus balance asked of accounts directly.
Goal: Apollo's throughput or better, no more of its CPU per request, and balance
through the gateway within 1.5x of accounts directly.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson

from cbkit.testing import RunningSystem, TestStack
from gateway.compose import SUPERGRAPH_PATH
from gateway.tests.harness import apollo_gateway_process
from gateway.tests.test_differential_services import TRANSCRIPT
from gateway.tests.world import seed_world, write_supergraph

BALANCE = "query Balance { me { balance { available earned } } }"


@asynccontextmanager
async def running_system(namespace: str) -> AsyncIterator[tuple[RunningSystem, TestStack, Path]]:
    """The whole system (every service and our gateway) started under `namespace`,
    with its stack and a folder of its own; stopped and cleaned up on leaving."""
    with tempfile.TemporaryDirectory() as tmp:
        stack = TestStack(Path(tmp) / "jwks.json")
        system = RunningSystem(stack, namespace=namespace)
        try:
            await system.start()
            yield system, stack, Path(tmp)
        finally:
            await system.stop()
            await stack.cleanup()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Result:
    target: str
    operation: str
    requests: int
    seconds: float
    latencies: list[float]
    cpu: float | None

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    @property
    def cpu_ms_per_request(self) -> float | None:
        return None if self.cpu is None else self.cpu / self.requests * 1000


async def load(
    url: str, body: bytes, headers: dict[str, str], concurrency: int, seconds: float
) -> tuple[int, list[float], float]:
    """Closed loop: `concurrency` clients each send the next request when one returns."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    latencies: list[float] = []
    async with httpx.AsyncClient(limits=limits, timeout=30, headers=headers) as client:
        first = await client.post(url, content=body)
        payload = first.json()
        if first.status_code != 200 or payload.get("errors"):
            raise RuntimeError(f"{url} answered {first.status_code}: {first.text[:500]}")
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.post(url, content=body)
                await response.aread()
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")
                latencies.append(time.perf_counter() - started)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return len(latencies), latencies, elapsed


async def measure(
    target: str,
    url: str,
    pid: int | None,
    operation: str,
    query: str,
    token: str,
    concurrency: int,
    seconds: float,
) -> Result:
    body = orjson.dumps({"query": query})
    headers = {
        "authorization": f"Bearer {token}",
        "content-type": "application/json",
        "apollo-require-preflight": "true",
    }
    await load(url, body, headers, concurrency, 1.0)  # warm up: plans, pools, JIT
    before = cpu_seconds(pid) if pid else None
    count, latencies, elapsed = await load(url, body, headers, concurrency, seconds)
    cpu = cpu_seconds(pid) - before if pid and before is not None else None
    return Result(target, operation, count, elapsed, latencies, cpu)


def merge(results: list[Result]) -> Result:
    first = results[0]
    cpus = [r.cpu for r in results]
    return Result(
        first.target,
        first.operation,
        sum(r.requests for r in results),
        sum(r.seconds for r in results),
        [latency for r in results for latency in r.latencies],
        None if any(c is None for c in cpus) else sum(c for c in cpus if c is not None),
    )


def report(results: dict[tuple[str, str], Result], concurrency: int) -> None:
    print(f"\nclosed loop, {concurrency} concurrent clients\n")
    columns = ("rps", "p50 ms", "p99 ms")
    print(f"{'target':<10} {'operation':<11} " + " ".join(f"{c:>8}" for c in columns), end="")
    print(f" {'CPU ms/req':>11}")
    for (target, operation), r in results.items():
        cpu = f"{r.cpu_ms_per_request:.2f}" if r.cpu_ms_per_request is not None else "-"
        print(
            f"{target:<10} {operation:<11} {r.rps:>8.0f} {r.percentile(0.5):>8.2f}"
            f" {r.percentile(0.99):>8.2f} {cpu:>11}"
        )
    print()
    for operation in ("transcript", "balance"):
        ours, theirs = results[("ours", operation)], results[("apollo", operation)]
        assert ours.cpu_ms_per_request and theirs.cpu_ms_per_request
        print(
            f"{operation}: ours/apollo throughput {ours.rps / theirs.rps:.2f}x,"
            f" CPU per request {ours.cpu_ms_per_request / theirs.cpu_ms_per_request:.2f}x,"
            f" p50 {ours.percentile(0.5) / theirs.percentile(0.5):.2f}x"
        )
    ours, direct = results[("ours", "balance")], results[("accounts", "balance")]
    print(
        f"balance via our gateway / accounts directly: p50 "
        f"{ours.percentile(0.5) / direct.percentile(0.5):.2f}x, "
        f"p99 {ours.percentile(0.99) / direct.percentile(0.99):.2f}x, "
        f"throughput {ours.rps / direct.rps:.2f}x"
    )


async def main(concurrency: int, seconds: float, rounds: int) -> None:
    async with running_system("bench") as (system, _, tmp):
        world = await seed_world(system.gateway, system.url("outcomes"))
        urls = {name: f"{system.url(name)}/graphql" for name in RunningSystem.SERVICES}
        supergraph = write_supergraph(tmp / "supergraph.graphql", SUPERGRAPH_PATH.read_text(), urls)
        async with apollo_gateway_process(supergraph) as (apollo_url, apollo_pid):
            ours_pid = system.processes["gateway"].pid
            accounts_pid = system.processes["accounts"].pid
            token = world.tokens["learner"]
            runs: dict[tuple[str, str], list[Result]] = {}
            plan = [
                ("transcript", TRANSCRIPT, ("ours", "apollo")),
                ("balance", BALANCE, ("ours", "apollo", "accounts")),
            ]
            targets = {
                "ours": (system.gateway, ours_pid),
                "apollo": (apollo_url, apollo_pid),
                "accounts": (urls["accounts"], accounts_pid),
            }
            for round_number in range(rounds):
                for operation, query, names in plan:
                    order = names if round_number % 2 == 0 else tuple(reversed(names))
                    for name in order:
                        url, pid = targets[name]
                        result = await measure(
                            name, url, pid, operation, query, token, concurrency, seconds
                        )
                        runs.setdefault((name, operation), []).append(result)
                        print(
                            f"round {round_number + 1} {name:<8} {operation:<10}"
                            f" {result.rps:7.0f} rps p50 {result.percentile(0.5):6.2f} ms",
                            file=sys.stderr,
                        )
            report({key: merge(value) for key, value in runs.items()}, concurrency)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(main(args.concurrency, args.seconds, args.rounds))
