"""Periodic jobs: every replica schedules them, an advisory lock lets one run each tick."""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

import asyncpg

from cbkit.db import Connection
from cbkit.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    interval_seconds: float
    run: Callable[[Connection], Awaitable[None]]
    every_replica: bool = False
    """False: one replica runs each tick, under an advisory lock, in a transaction.
    True: each replica runs it for itself (e.g. to refresh its own gauges)."""

    @property
    def interval_variable(self) -> str:
        """The setting that overrides the interval, e.g. CB_JOB_CREDITS_EXPIRY_SECONDS."""
        return f"CB_JOB_{self.name.upper().replace('-', '_')}_SECONDS"

    def configured(self, settings: Settings) -> PeriodicJob:
        """This job with its interval taken from `settings` when set there."""
        seconds = settings.positive_seconds(self.interval_variable, self.interval_seconds)
        return replace(self, interval_seconds=seconds)

    @property
    def lock_key(self) -> int:
        return zlib.crc32(f"job:{self.name}".encode())


async def run_once(pool: asyncpg.Pool, job: PeriodicJob) -> bool:
    """Run `job` in one transaction unless another replica holds its lock; True if it ran."""
    if job.every_replica:
        async with pool.acquire() as conn:
            await job.run(conn)
        return True
    async with pool.acquire() as conn, conn.transaction():
        if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", job.lock_key):
            return False
        await job.run(conn)
        return True


async def run_forever(pool: asyncpg.Pool, job: PeriodicJob) -> None:
    while True:
        try:
            await run_once(pool, job)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("periodic job %s failed", job.name)
        await asyncio.sleep(job.interval_seconds)
