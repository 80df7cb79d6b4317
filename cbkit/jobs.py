"""Periodic jobs: every replica schedules them, an advisory lock lets one run each tick."""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace

import asyncpg

from cbkit.db import Connection
from cbkit.settings import SettingsError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    interval_seconds: float
    run: Callable[[Connection], Awaitable[None]]

    @property
    def interval_variable(self) -> str:
        """The setting that overrides the interval, e.g. CB_JOB_CREDITS_EXPIRY_SECONDS."""
        return f"CB_JOB_{self.name.upper().replace('-', '_')}_SECONDS"

    def configured(self, settings: Mapping[str, str]) -> PeriodicJob:
        """This job with its interval taken from `settings` when set there."""
        text = settings.get(self.interval_variable)
        if text is None:
            return self
        try:
            seconds = float(text)
        except ValueError:
            seconds = 0.0
        if seconds <= 0:
            raise SettingsError(f"{self.interval_variable} must be a positive number of seconds")
        return replace(self, interval_seconds=seconds)

    @property
    def lock_key(self) -> int:
        return zlib.crc32(f"job:{self.name}".encode())


async def run_once(pool: asyncpg.Pool, job: PeriodicJob) -> bool:
    """Run `job` in one transaction unless another replica holds its lock; True if it ran."""
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
