"""A learner's results paged by keyset: the first page against the last, through the
outcomes subgraph run by uvicorn in its own process (not a test).

    .venv/bin/python -m bench.results_paging [RESULTS] [OTHERS] [RUNS]

Seeds RESULTS results (5,000) of one learner, and OTHERS (45,000) of other learners
around them, straight into the service's database, then asks
`Account.outcomesConnection(first: 50)` over HTTP with the learner's token: the first
page, a page in the middle and the last page (its cursor found by paging there once),
each RUNS times (30), alternating, and reports the median and p95 in ms; the same with
`totalCount` and with a status filter; and PostgreSQL's own plan and time for the last
page's query. Runs against the local PostgreSQL and RabbitMQ under a throwaway prefix,
removed afterwards. Goal: the last page costs what the first does (keyset, no OFFSET).
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.upload import cleanup, free_port, token, wait_ready
from cbkit import db
from cbkit.auth import jwks
from cbkit.paging import page_request
from cbkit.settings import load_settings
from services.outcomes.domain import OutcomeStatus
from services.outcomes.repository import outcomes

ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZE = 50
PAGE = """query($id: ID!, $after: String, $status: OutcomeStatus) {
  _entities(representations: [{__typename: "Account", id: $id}]) {
    ... on Account { outcomesConnection(first: %d, after: $after, status: $status) {
      %s edges { cursor node { id kind title status submittedAt evidence { id } } }
      pageInfo { hasNextPage endCursor } } } } }"""
KINDS = ["QUALIFICATION_CERTIFICATE", "ONLINE_COURSE", "WORK_EXPERIENCE", "ACADEMIC_COURSE"]
STATUSES = ["SUBMITTED", "IN_REVIEW", "CERTIFIED", "REJECTED", "NEEDS_INFO", "WITHDRAWN"]


async def seed(pool: asyncpg.Pool, learner_id: str, results: int, others: int) -> None:
    """The learner's results, interleaved in time with other learners' (one learner per
    50 results), three at a time sharing an instant (the id orders those)."""
    started = time.perf_counter()
    async with pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO outcomes (id, learner_id, kind, title, issuer, achieved_on, hours,"
            " status, submitted_at)"
            " SELECT gen_random_uuid(),"
            "  CASE WHEN i < $2::int THEN $1::uuid ELSE md5((i / 50)::text)::uuid END,"
            "  ($4::text[])[1 + i % 4], 'Result ' || i, 'Chongqing Education Commission',"
            "  '2024-01-01', 40, ($5::text[])[1 + i % 6],"
            "  '2026-01-01T00:00:00Z'::timestamptz"
            "   + make_interval(mins => (i % $2::int) / 3)"
            " FROM generate_series(0, $2::int + $3::int - 1) AS i",
            uuid.UUID(learner_id),
            results,
            others,
            KINDS,
            STATUSES,
        )
        await conn.execute("ANALYZE outcomes")
    print(
        f"seeded {results} results of one learner and {others} of others"
        f" in {time.perf_counter() - started:.1f} s"
    )


async def ask(
    client: httpx.AsyncClient, bearer: str, query: str, variables: dict[str, Any]
) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {bearer}"},
    )
    elapsed = (time.perf_counter() - started) * 1000
    body = orjson.loads(response.content)
    if "errors" in body:
        raise RuntimeError(f"refused: {body['errors']}")
    page: dict[str, Any] = body["data"]["_entities"][0]["outcomesConnection"]
    return elapsed, page


async def cursors(
    client: httpx.AsyncClient, bearer: str, learner_id: str, status: str | None
) -> list[str | None]:
    """The `after` of every page of the list, first (None) to last."""
    found: list[str | None] = [None]
    query = PAGE % (PAGE_SIZE, "")
    while True:
        variables = {"id": learner_id, "after": found[-1], "status": status}
        _, page = await ask(client, bearer, query, variables)
        if not page["pageInfo"]["hasNextPage"]:
            return found
        found.append(page["pageInfo"]["endCursor"])


def summary(name: str, timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{name} median {statistics.median(ordered):5.1f} ms, p95 {p95:5.1f} ms"


async def measure(
    client: httpx.AsyncClient,
    bearer: str,
    learner_id: str,
    runs: int,
    *,
    status: str | None = None,
    count: bool = False,
) -> None:
    pages = await cursors(client, bearer, learner_id, status)
    chosen = {"first": pages[0], "middle": pages[len(pages) // 2], "last": pages[-1]}
    query = PAGE % (PAGE_SIZE, "totalCount" if count else "")
    timings: dict[str, list[float]] = {name: [] for name in chosen}
    for after in chosen.values():  # warm up
        await ask(client, bearer, query, {"id": learner_id, "after": after, "status": status})
    for _ in range(runs):
        for name, after in chosen.items():
            variables = {"id": learner_id, "after": after, "status": status}
            elapsed, page = await ask(client, bearer, query, variables)
            assert page["edges"], name
            timings[name].append(elapsed)
    label = f"status {status}" if status else "no filter"
    print(
        f"outcomesConnection(first: {PAGE_SIZE}), {label}{', with totalCount' if count else ''}:"
        f" {len(pages)} pages"
    )
    for name, values in timings.items():
        print(f"  {summary(f'{name:>6} page', values)}")


async def plans(
    pool: asyncpg.Pool, learner_id: str, last_after: str | None, status: str | None = None
) -> None:
    """PostgreSQL's plan and execution time of the repository's query for the first
    and the last page, as the service sends it."""
    print(f"the query of outcomesConnection(first: {PAGE_SIZE}), {status or 'no filter'}:")
    for name, after in (("first", None), ("last", last_after)):
        seen: list[Any] = []
        async with pool.acquire() as conn:
            conn.add_query_logger(seen.append)
            request = page_request("Account.outcomesConnection", PAGE_SIZE, after)
            await outcomes.outcomes_page(
                conn, request, learner_id, OutcomeStatus(status) if status else None
            )
            await asyncio.sleep(0.05)  # the logger is called soon after, not at once
            conn.remove_query_logger(seen.append)
            query = next(r for r in seen if "FROM outcomes" in r.query)
            lines = await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {query.query}", *query.args)
        plan = [r[0] for r in lines]
        at = next((i for i, line in enumerate(plan) if " on outcomes o" in line), 0)
        scan = plan[at].strip().removeprefix("->").strip().split("  (")[0]
        condition = plan[at + 1].strip() if at + 1 < len(plan) else ""
        execution = next(line for line in plan if line.startswith("Execution Time"))
        print(f"  {name:>5} page in PostgreSQL: {execution}; {scan}")
        print(f"        {condition[:160]}")


async def main(results: int, others: int, runs: int) -> None:
    prefix = f"bench_{uuid.uuid4().hex[:6]}"
    private_key = Ed25519PrivateKey.generate()
    learner_id = str(uuid.uuid4())
    bearer = token(private_key, learner_id)
    port = free_port()
    env_prefix = {"CB_QUEUE_PREFIX": prefix, "CB_EXCHANGE": f"{prefix}.events"}
    settings = load_settings("outcomes", env_prefix)
    with tempfile.TemporaryDirectory() as keys:
        jwks_file = Path(keys) / "jwks.json"
        jwks_file.write_bytes(orjson.dumps(jwks(private_key.public_key())))
        env = {
            **os.environ,
            **env_prefix,
            "CB_ENV": "development",
            "CB_JWT_PUBLIC_KEY_FILE": str(jwks_file),
            "CB_OUTCOMES_PORT": str(port),
            "CB_LOG_LEVEL": "WARNING",
        }
        server = subprocess.Popen(  # noqa: ASYNC220 - started once, before any load
            [sys.executable, "-m", "services.outcomes"], cwd=ROOT, env=env
        )
        pool: asyncpg.Pool | None = None
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                await wait_ready(client, server)  # migrated
                pool = await db.create_pool(settings.database_url, min_size=1, max_size=2)
                await seed(pool, learner_id, results, others)
                await measure(client, bearer, learner_id, runs)
                await measure(client, bearer, learner_id, runs, count=True)
                await measure(client, bearer, learner_id, runs, status="CERTIFIED")
                for status in (None, "CERTIFIED"):
                    last = (await cursors(client, bearer, learner_id, status))[-1]
                    await plans(pool, learner_id, last, status)
        finally:
            if pool is not None:
                await pool.close()
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=20)
            await cleanup(prefix)


if __name__ == "__main__":
    asyncio.run(
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 5000,
            int(sys.argv[2]) if len(sys.argv) > 2 else 45000,
            int(sys.argv[3]) if len(sys.argv) > 3 else 30,
        )
    )
