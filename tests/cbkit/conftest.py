import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aio_pika
import asyncpg
import pytest_asyncio
from aio_pika.abc import AbstractRobustConnection

from cbkit import broker, db
from cbkit.app import PLUMBING_MIGRATIONS
from cbkit.migrations import migrate
from cbkit.settings import Settings
from cbkit.testing import TestStack


@dataclass
class Plumbing:
    settings: Settings
    pool: asyncpg.Pool
    amqp: AbstractRobustConnection


@pytest_asyncio.fixture(loop_scope="session")
async def plumbing(stack: TestStack, request) -> AsyncIterator[Plumbing]:
    """A fresh database and queue namespace per test, with the plumbing tables."""
    settings = stack.settings(f"p{abs(hash(request.node.nodeid)) % 10**8}")
    await db.ensure_database(settings.postgres_url, settings.database)
    pool = await db.create_pool(settings.database_url)
    async with pool.acquire() as conn:
        await migrate(conn, [("cbkit", PLUMBING_MIGRATIONS)])
    amqp = await broker.connect(settings.amqp_url)
    try:
        yield Plumbing(settings, pool, amqp)
    finally:
        await amqp.close()
        await pool.close()


async def bind_probe(plumbing: Plumbing, name: str | None = None) -> aio_pika.abc.AbstractQueue:
    """A queue that sees what reaches the exchange, as another service would.
    A named probe outlives its connection; the test deletes it."""
    channel = await plumbing.amqp.channel()
    exchange = await broker.declare_exchange(channel, plumbing.settings.exchange)
    queue = await channel.declare_queue(name, exclusive=name is None, auto_delete=False)
    await queue.bind(exchange, "#")
    return queue


def sql_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, sql in files.items():
        (tmp_path / name).write_text(sql)
    return tmp_path


async def drop_broker_connections() -> None:
    """What a broker restart does to every client: close all connections."""
    process = await asyncio.create_subprocess_exec(
        "rabbitmqctl",
        "close_all_connections",
        "test: broker restart",
        stdout=asyncio.subprocess.DEVNULL,
    )
    assert await process.wait() == 0
