"""Benchmark (not a test): balance reads straight against the accounts subgraph.

Starts the accounts service with uvicorn in its own process under a throwaway
prefix (its own database and queues, removed at the end), bulk-loads learners
and their ledgers with COPY, then reads `me { balance }` over HTTP at a fixed
concurrency for a fixed time, once per ledger size. The balance is one row per
learner, so the read should not slow down as the ledger grows.

    .venv/bin/python -m bench.balance [--accounts 100000] [--entries 1000000 100000]
        [--concurrency 32] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import asyncpg
import httpx

from cbkit.auth import Role
from cbkit.testing import TestStack

QUERY = "{ me { balance { available redeemed expired earned } } }"
CLOSING = ("REDEEMED", "REDEEMED", "EXPIRED", "REVOKED")
STATUS = {"REDEEMED": "REDEEMED", "EXPIRED": "EXPIRED", "REVOKED": "REVOKED"}
TOKENS = 2000
WARMUP_SECONDS = 3.0
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass
class Ledger:
    """Rows for COPY: each learner's credits, entries and the balance they sum to."""

    credits: list[tuple] = field(default_factory=list)
    entries: list[tuple] = field(default_factory=list)
    balances: list[tuple] = field(default_factory=list)


def ledgers(learners: list[uuid.UUID], institution: uuid.UUID, total_entries: int) -> Ledger:
    """`total_entries` spread evenly: per learner, lots are converted and the oldest are
    then redeemed, expired or revoked, cycling through those in order."""
    out = Ledger()
    per_learner, extra = divmod(total_entries, len(learners))
    for index, learner in enumerate(learners):
        count = per_learner + (1 if index < extra else 0)
        closes = (count - 1) // 2 if count else 0
        lots = count - closes
        at = EPOCH + timedelta(minutes=index)
        totals = dict.fromkeys(("available", "redeemed", "expired", "earned"), Decimal(0))
        conversions = []
        for lot in range(lots):
            conversion, credits = uuid.uuid4(), Decimal(1 + lot % 4) / 2
            conversions.append((conversion, credits, f"C-{lot}"))
            out.entries.append(
                (
                    uuid.uuid4(),
                    learner,
                    "CONVERTED",
                    credits,
                    f"C-{lot}",
                    conversion,
                    None,
                    at,
                    None,
                )
            )
            totals["available"] += credits
            totals["earned"] += credits
        closed: dict[int, str] = {}
        for lot in range(closes):
            kind = CLOSING[lot % len(CLOSING)]
            conversion, credits, course = conversions[lot]
            closed[lot] = kind
            by = institution if kind == "REDEEMED" else None
            out.entries.append(
                (uuid.uuid4(), learner, kind, -credits, course, conversion, by, at, None)
            )
            totals["available"] -= credits
            if kind == "REVOKED":
                totals["earned"] -= credits
            else:
                totals[kind.lower()] += credits
        for lot, (conversion, credits, course) in enumerate(conversions):
            status = STATUS.get(closed.get(lot, ""), "ACTIVE")
            expires = date(2025, 6, 1) if status == "EXPIRED" else None
            out.credits.append((conversion, learner, course, credits, expires, status))
        out.balances.append((learner, *totals.values()))
    return out


ENTRY_COLUMNS = [
    "id", "learner_id", "kind", "credits", "course_code", "conversion_id",
    "institution_id", "occurred_at", "note",
]  # fmt: skip
CREDIT_COLUMNS = ["conversion_id", "learner_id", "course_code", "credits", "expires_on", "status"]
BALANCE_COLUMNS = ["learner_id", "available", "redeemed", "expired", "earned"]


async def load_accounts(conn: asyncpg.Connection, count: int) -> tuple[list[uuid.UUID], uuid.UUID]:
    learners = [uuid.uuid4() for _ in range(count)]
    institution = uuid.uuid4()
    rows = [
        (i, "LEARNER", f"learner{n}@bench.local", f"Learner {n}", "-")
        for n, i in enumerate(learners)
    ]
    rows.append((institution, "INSTITUTION", "university@bench.local", "Bench University", "-"))
    await conn.copy_records_to_table(
        "accounts",
        records=rows,
        columns=["id", "role", "email", "display_name", "password_hash"],
    )
    return learners, institution


async def load_ledgers(conn: asyncpg.Connection, ledger: Ledger) -> None:
    """Replace every ledger with these; foreign keys are not re-checked row by row
    (the rows are generated consistent), as in a restore."""
    async with conn.transaction():
        await conn.execute("SET LOCAL session_replication_role = replica")
        await conn.execute("TRUNCATE ledger_entries, credits, balances")
        await conn.copy_records_to_table("credits", records=ledger.credits, columns=CREDIT_COLUMNS)
        await conn.copy_records_to_table(
            "ledger_entries", records=ledger.entries, columns=ENTRY_COLUMNS
        )
        await conn.copy_records_to_table(
            "balances", records=ledger.balances, columns=BALANCE_COLUMNS
        )
    await conn.execute("ANALYZE accounts, credits, ledger_entries, balances")


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]
    server_cpu: float

    def line(self, label: str) -> str:
        ordered = sorted(self.latencies)
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
        cpu = self.server_cpu / self.requests * 1000
        return (
            f"{label:>20}: {self.requests / self.seconds:6.0f} req/s"
            f"  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  server CPU {cpu:.2f} ms/request"
            f"  ({self.requests} requests, {self.errors} errors)"
        )


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def read_balances(
    url: str, tokens: list[str], args: argparse.Namespace, server_pid: int
) -> Result:
    """Read for a warm-up, then for `args.seconds` with `args.concurrency` clients."""
    concurrency = args.concurrency
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:

        async def worker(offset: int, until: float, record: bool) -> None:
            nonlocal errors
            n = offset
            while time.perf_counter() < until:
                token = tokens[n % len(tokens)]
                n += concurrency
                started = time.perf_counter()
                response = await client.post(
                    "/graphql",
                    json={"query": QUERY},
                    headers={"Authorization": f"Bearer {token}"},
                )
                elapsed = time.perf_counter() - started
                ok = response.status_code == 200 and "errors" not in response.json()
                if record:
                    latencies.append(elapsed)
                    errors += 0 if ok else 1

        async def run(duration: float, record: bool) -> float:
            started = time.perf_counter()
            until = started + duration
            await asyncio.gather(*(worker(i, until, record) for i in range(concurrency)))
            return time.perf_counter() - started

        await run(WARMUP_SECONDS, record=False)
        cpu_before = cpu_seconds(server_pid)
        elapsed = await run(args.seconds, record=True)
        server_cpu = cpu_seconds(server_pid) - cpu_before
    return Result(len(latencies), errors, elapsed, latencies, server_cpu)


async def check_balances(url: str, stack: TestStack, ledger: Ledger, count: int = 20) -> None:
    """The service answers the balances that the loaded entries sum to."""
    async with httpx.AsyncClient(base_url=url) as client:
        for learner, *amounts in random.Random(11).sample(ledger.balances, count):
            token = stack.token(str(learner), Role.LEARNER)
            response = await client.post(
                "/graphql", json={"query": QUERY}, headers={"Authorization": f"Bearer {token}"}
            )
            balance = response.json()["data"]["me"]["balance"]
            expected = dict(zip(BALANCE_COLUMNS[1:], amounts, strict=True))
            assert {k: Decimal(v) for k, v in balance.items()} == expected, (balance, expected)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def wait_ready(
    url: str, server: asyncio.subprocess.Process, name: str, within: float = 60
) -> None:
    """Wait until the service `name` started as `server` answers /readyz at `url`."""
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(base_url=url) as client:
        while time.monotonic() < deadline:
            if server.returncode is not None:
                raise RuntimeError(f"the {name} service exited with {server.returncode}")
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"the {name} service did not become ready")


@asynccontextmanager
async def serving(
    stack: TestStack, workdir: Path, name: str
) -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    """The service `name` running (`python -m services.<name>` on a free port, its log
    in `workdir`) and ready, with its URL; on leaving, stopped and the stack cleaned up."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (workdir / f"{name}.log").open("wb")
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        f"services.{name}",
        env=server_env(stack, port, name),
        stdout=log,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await wait_ready(url, server, name=name)
        yield server, url
    finally:
        server.terminate()
        await asyncio.wait_for(server.wait(), 30)
        log.close()
        await stack.cleanup()


def server_env(stack: TestStack, port: int, name: str) -> dict[str, str]:
    return {
        **os.environ,
        **stack.env(),
        f"CB_{name.upper()}_PORT": str(port),
        "CB_LOG_LEVEL": "WARNING",
    }


def sample(learners: list[uuid.UUID], count: int) -> Iterator[uuid.UUID]:
    return iter(random.Random(7).sample(learners, min(count, len(learners))))


async def main(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="cbbench-"))
    stack = TestStack(workdir / "jwks.json")
    settings = stack.settings("accounts")
    async with serving(stack, workdir, "accounts") as (server, url):
        conn = await asyncpg.connect(settings.database_url)
        try:
            started = time.perf_counter()
            learners, institution = await load_accounts(conn, args.accounts)
            print(f"loaded {len(learners):,} accounts in {time.perf_counter() - started:.1f} s")
            tokens = [
                stack.token(str(i), Role.LEARNER, timedelta(hours=2))
                for i in sample(learners, TOKENS)
            ]
            print(
                f"{args.concurrency} concurrent clients, {args.seconds:.0f} s each,"
                f" {len(tokens)} learners' tokens in turn; server: one uvicorn process"
            )
            for total in args.entries:
                started = time.perf_counter()
                ledger = ledgers(learners, institution, total)
                generated = time.perf_counter()
                await load_ledgers(conn, ledger)
                copied = time.perf_counter()
                counted = await conn.fetchval("SELECT count(*) FROM ledger_entries")
                print(
                    f"loaded {counted:,} ledger entries: generated in {generated - started:.1f} s,"
                    f" copied (with ANALYZE) in {copied - generated:.1f} s"
                )
                await check_balances(url, stack, ledger)
                result = await read_balances(url, tokens, args, server.pid)
                print(result.line(f"{counted:,} entries"))
        finally:
            await conn.close()


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--entries", type=int, nargs="+", default=[1_000_000, 100_000])
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse(sys.argv[1:])))
