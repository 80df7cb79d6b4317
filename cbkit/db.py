"""The service's own PostgreSQL database: created when missing, reached through a pool."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

import asyncpg

from cbkit import wire

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    Connection = asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]
else:
    Connection = asyncpg.Connection


async def ensure_database(postgres_url: str, name: str) -> None:
    """Create the database `name` on the server at `postgres_url` unless it exists."""
    conn = await asyncpg.connect(f"{postgres_url.rstrip('/')}/postgres")
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            # another replica may create it first
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def drop_database(postgres_url: str, name: str) -> None:
    conn = await asyncpg.connect(f"{postgres_url.rstrip('/')}/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def _init_connection(conn: asyncpg.Connection) -> None:
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(
            type_name,
            schema="pg_catalog",
            encoder=lambda v: json.dumps(v, default=wire.json_default),
            decoder=json.loads,
        )


async def create_pool(database_url: str, min_size: int = 2, max_size: int = 10) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(
        database_url, min_size=min_size, max_size=max_size, init=_init_connection
    )
    assert pool is not None
    return pool


def parse_uuids(values: Iterable[str]) -> list[uuid.UUID]:
    """The values that are UUIDs; others cannot match a row, so they are left out."""
    parsed = []
    for value in values:
        try:
            parsed.append(uuid.UUID(value))
        except ValueError:
            continue
    return parsed
