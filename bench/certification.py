"""Certification under load: the review queue over many cases, claims on
distinct cases in parallel, and many reviewers racing for one case.

    .venv/bin/python -m bench.certification [CASES] [CLAIMS]

Runs against the local PostgreSQL in a throwaway database. Goals: a queue
page (100 cases, oldest due first, overdue filter) under 20 ms at p95 with
20k cases; claims in the hundreds per second; exactly one winner per race.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from cbkit import db
from cbkit.app import PLUMBING_MIGRATIONS
from cbkit.auth import Principal, Role
from cbkit.calendar import WorkingCalendar
from cbkit.clock import Clock
from cbkit.errors import Conflict
from cbkit.migrations import migrate
from cbkit.settings import load_settings
from services.certification import domain
from services.certification.repository import cases
from services.certification.service import build
from services.certification.service_layer import reviews
from services.certification.service_layer.dependencies import Dependencies

SETTINGS = load_settings("certification", {"CB_QUEUE_PREFIX": f"bench_{uuid.uuid4().hex[:6]}"})
DEPS = Dependencies(
    calendar=WorkingCalendar.from_settings(SETTINGS),
    clock=Clock(SETTINGS.time_zone, frozen_at=datetime(2026, 10, 27, 2, tzinfo=UTC)),
    metrics_refresh_seconds=15.0,
)
ADMIN = Principal(str(uuid.uuid4()), Role.ADMIN)  # the queue as an admin sees it: every case


def outcome(n: int) -> domain.SubmittedOutcome:
    return domain.SubmittedOutcome(
        outcome_id=str(uuid.uuid4()),
        learner_id=str(uuid.uuid4()),
        kind="ONLINE_COURSE",
        title=f"course {n}",
        credential_code=None,
        achieved_on=date(2025, 1, 1),
        hours=40,
        submitted_at=datetime(2026, 1, 5, 2, tzinfo=UTC) + timedelta(hours=7 * n % 7000),
    )


async def seed(pool: db.asyncpg.Pool, n: int) -> list[str]:
    ids = []
    async with pool.acquire() as conn, conn.transaction():
        for i in range(n):
            case = domain.open_case(outcome(i), DEPS.calendar)
            await cases.insert_case(conn, case, DEPS.clock.now())
            ids.append(case.id)
    return ids


async def queue_latency(pool: db.asyncpg.Pool, rounds: int) -> list[float]:
    timings = []
    for i in range(rounds):
        started = time.perf_counter()
        async with pool.acquire() as conn:
            await reviews.review_queue(conn, DEPS, ADMIN, None, i % 2 == 0, 100)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def claim(pool: db.asyncpg.Pool, case_id: str, reviewer: str) -> bool:
    try:
        async with pool.acquire() as conn:
            await reviews.claim(conn, DEPS, case_id, Principal(reviewer, Role.REVIEWER))
        return True
    except Conflict:
        return False


async def main(cases: int, claims: int) -> None:
    settings = SETTINGS
    await db.ensure_database(settings.postgres_url, settings.database)
    pool = await db.create_pool(settings.database_url, max_size=20)
    try:
        async with pool.acquire() as conn:
            await migrate(
                conn, [("cbkit", PLUMBING_MIGRATIONS), ("certification", build().migrations)]
            )
        started = time.perf_counter()
        ids = await seed(pool, cases)
        print(f"seeded {cases} cases in {time.perf_counter() - started:.1f}s")

        timings = sorted(await queue_latency(pool, 200))
        p95 = timings[int(len(timings) * 0.95)]
        print(f"reviewQueue page: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms")

        started = time.perf_counter()
        won = await asyncio.gather(*(claim(pool, c, str(uuid.uuid4())) for c in ids[:claims]))
        rate = claims / (time.perf_counter() - started)
        print(f"claims on distinct cases: {rate:.0f}/s ({sum(won)} of {claims} succeeded)")

        races = ids[claims : claims + 50]
        winners = []
        for case_id in races:
            results = await asyncio.gather(
                *(claim(pool, case_id, str(uuid.uuid4())) for _ in range(8))
            )
            winners.append(sum(results))
        print(f"races of 8 reviewers on {len(races)} cases: winners per race {set(winners)}")
    finally:
        await pool.close()
        await db.drop_database(settings.postgres_url, settings.database)


if __name__ == "__main__":
    asyncio.run(
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 20000,
            int(sys.argv[2]) if len(sys.argv) > 2 else 1000,
        )
    )
