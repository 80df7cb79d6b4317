"""Benchmark (not a test): the first and the last page of the review queue.

Starts the certification service with uvicorn in its own process under a throwaway
prefix (its own database and queues, removed at the end), bulk-loads the cases with
COPY, then asks `reviewQueueConnection(first: 50)` over HTTP as an admin (and the
default queue as a reviewer, and the SQL alone), the first page and the last page in
turn, and reports the median of each. The queue pages by
keyset over (due day, id) with an index per common filter, so the last page should
cost what the first does.

    .venv/bin/python -m bench.queue_paging [--cases 50000] [--rounds 200]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.balance import serving
from cbkit.auth import Principal, Role
from cbkit.paging import page_request
from cbkit.testing import TestStack
from services.certification import domain
from services.certification.repository import cases as repository

PAGE = """query($after: String, $unclaimed: Boolean, $kind: OutcomeKind, $overdue: Boolean) {
  reviewQueueConnection(first: 50, after: $after, unclaimed: $unclaimed, kind: $kind,
    overdue: $overdue) {
    edges { cursor node { id status dueOn submittedOn reviewer { id } } }
    pageInfo { hasNextPage endCursor } } }"""
FILTERS: dict[str, dict[str, Any]] = {
    "default (PENDING, IN_REVIEW)": {},
    "unclaimed": {"unclaimed": True},
    "kind ONLINE_COURSE": {"kind": "ONLINE_COURSE"},
    "overdue": {"overdue": True},
}
KINDS = ("QUALIFICATION_CERTIFICATE", "ONLINE_COURSE", "WORK_EXPERIENCE", "VOCATIONAL_TRAINING")
COLUMNS = [
    "id", "outcome_id", "learner_id", "kind", "title", "credential_code", "achieved_on",
    "hours", "status", "reviewer_id", "submitted_on", "due_on", "decided_at", "sequence",
]  # fmt: skip
FIRST_DUE = date.today() - timedelta(days=30)  # half the queue overdue


def cases(count: int) -> list[tuple[Any, ...]]:
    """`count` open cases over 60 due days (a fifth in review), and a tenth as many
    decided ones, which the default queue leaves out."""
    rng = random.Random(14)
    reviewers = [uuid.uuid4() for _ in range(50)]
    learners = [uuid.uuid4() for _ in range(max(1, count // 10))]
    rows = []
    for n in range(count + count // 10):
        status = "APPROVED" if n >= count else "IN_REVIEW" if n % 5 == 0 else "PENDING"
        due_on = FIRST_DUE + timedelta(days=n % 60)
        rows.append(
            (
                uuid.uuid4(),
                uuid.uuid4(),
                rng.choice(learners),
                rng.choice(KINDS),
                f"outcome {n}",
                None,
                date(2026, 1, 1),
                40,
                status,
                None if status == "PENDING" else rng.choice(reviewers),
                due_on - timedelta(days=21),
                due_on,
                datetime.now(UTC) if status == "APPROVED" else None,
                1 if status == "PENDING" else 2,
            )
        )
    rows.sort(key=lambda row: (row[11], row[0]))
    return rows


async def load(database_url: str, count: int) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        await conn.copy_records_to_table("cases", records=cases(count), columns=COLUMNS)
        await conn.execute("ANALYZE cases")
    finally:
        await conn.close()


async def page(client: httpx.AsyncClient, token: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        json={"query": PAGE, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["reviewQueueConnection"]
    return found


async def last_page_cursor(
    client: httpx.AsyncClient, token: str, filters: dict[str, Any]
) -> tuple[str | None, int]:
    """The cursor after which the last 50 cases follow (a full last page), and how
    many cases the queue holds."""
    after: str | None = None
    cursors: list[str] = []
    while True:
        found = await page(client, token, {**filters, "after": after})
        cursors += [edge["cursor"] for edge in found["edges"]]
        if not found["pageInfo"]["hasNextPage"]:
            return (cursors[-51] if len(cursors) > 50 else None), len(cursors)
        after = found["pageInfo"]["endCursor"]


async def median_ms(
    client: httpx.AsyncClient, token: str, variables: dict[str, Any], rounds: int
) -> float:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        await page(client, token, variables)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


async def sql_median_ms(database_url: str, after: str | None, rounds: int) -> float:
    """The repository's query alone (no GraphQL, no HTTP): the keyset's own cost."""
    admin = Principal(str(uuid.uuid4()), Role.ADMIN)
    found = domain.queue_filter(admin)
    request = page_request("reviewQueue", 50, after)
    conn = await asyncpg.connect(database_url)
    try:
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            await repository.queue_page(conn, found, request)
            timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings[rounds // 10 :])
    finally:
        await conn.close()


async def main(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="cbbench-"))
    stack = TestStack(workdir / "jwks.json")
    settings = stack.settings("certification")
    async with serving(stack, workdir, "certification") as (_, url):
        started = time.perf_counter()
        await load(settings.database_url, args.cases)
        print(f"loaded {args.cases:,} open cases in {time.perf_counter() - started:.1f} s")
        token = stack.token(str(uuid.uuid4()), Role.ADMIN, timedelta(hours=2))
        print(
            f"reviewQueueConnection(first: 50) as an admin over HTTP, one uvicorn process,"
            f" median of {args.rounds} requests each"
        )
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            for label, filters in FILTERS.items():
                after, total = await last_page_cursor(client, token, filters)
                await median_ms(client, token, filters, 10)  # warm up
                first = await median_ms(client, token, filters, args.rounds)
                last = await median_ms(client, token, {**filters, "after": after}, args.rounds)
                print(
                    f"{label:>30}: first page {first:6.2f} ms,"
                    f" last page (cases {total - 49:,} to {total:,}) {last:6.2f} ms"
                )
                if not filters:
                    # a reviewer sees the cases of learners they have a case for
                    reviewer = stack.token(str(uuid.uuid4()), Role.REVIEWER, timedelta(hours=2))
                    after, total = await last_page_cursor(client, reviewer, filters)
                    first = await median_ms(client, reviewer, filters, args.rounds)
                    last = await median_ms(client, reviewer, {"after": after}, args.rounds)
                    print(
                        f"{'the same, as a reviewer':>30}: first page {first:6.2f} ms,"
                        f" last page (cases {total - 49:,} to {total:,}) {last:6.2f} ms"
                    )
                    first_sql = await sql_median_ms(settings.database_url, None, args.rounds)
                    last_sql = await sql_median_ms(settings.database_url, after, args.rounds)
                    print(
                        f"{'the same, SQL only':>30}: first page {first_sql:6.2f} ms,"
                        f" last page {last_sql:6.2f} ms"
                    )


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=200)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse(sys.argv[1:])))
