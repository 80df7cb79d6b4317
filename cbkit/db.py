"""The service's own PostgreSQL database: created when missing, reached through a pool."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import enum
import json
import logging
import typing
import uuid
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import asyncpg

from cbkit import wire

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from _typeshed import DataclassInstance
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


CLOSE_SECONDS = 10.0


async def close_pool(pool: asyncpg.Pool) -> None:
    """Close gracefully, but never hang a shutdown on a connection not given back."""
    try:
        await asyncio.wait_for(pool.close(), CLOSE_SECONDS)
    except TimeoutError:
        log.warning("the pool did not close within %.0f s; terminating it", CLOSE_SECONDS)
        pool.terminate()


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


T = TypeVar("T")


def from_row(cls: type[T], row: asyncpg.Record | Mapping[str, Any], /, **values: Any) -> T:
    """The dataclass `cls` from a row whose columns are named as its fields: UUIDs
    become strings and enum fields their members; `values` stand in for columns that
    need more than that (or have another name)."""
    kwargs = {}
    for name, convert in _fields(cls):
        if name in values:
            kwargs[name] = values[name]
            continue
        value = row[name]
        kwargs[name] = value if value is None else convert(value)
    return cls(**kwargs)


async def fetch_one(conn: Connection, cls: type[T], query: str, *args: Any) -> T | None:
    """The dataclass `cls` from the one row `query` finds (`from_row`), None without one."""
    row = await conn.fetchrow(query, *args)
    return from_row(cls, row) if row else None


_FIELDS: dict[type[Any], tuple[tuple[str, Callable[[Any], Any]], ...]] = {}


def _fields(cls: type[Any]) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """Each init field of `cls` with how a column value becomes it (worked out once)."""
    if cls not in _FIELDS:
        hints = typing.get_type_hints(cls)
        fields = dataclasses.fields(cls)
        _FIELDS[cls] = tuple((f.name, _converter(hints[f.name])) for f in fields if f.init)
    return _FIELDS[cls]


def _converter(hint: Any) -> Callable[[Any], Any]:
    options = [a for a in typing.get_args(hint) if a is not type(None)] or [hint]
    kind = options[0] if len(options) == 1 else None
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    if kind is str:
        return lambda value: str(value) if isinstance(value, uuid.UUID) else value
    return lambda value: value


async def lock(conn: Connection, key: str) -> None:
    """Serialise work on `key` across replicas until the transaction ends."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key)


K = TypeVar("K", bound=Hashable)


def one_per_key(keys: Sequence[K], items: Iterable[T], key: Callable[[T], K]) -> list[T | None]:
    """For a DataLoader: the item of each key, in the keys' order, or None where none."""
    found = {key(item): item for item in items}
    return [found.get(k) for k in keys]


def all_per_key(keys: Sequence[K], items: Iterable[T], key: Callable[[T], K]) -> list[list[T]]:
    """For a DataLoader: the items of each key, in the keys' order, as they come."""
    found: dict[K, list[T]] = {}
    for item in items:
        found.setdefault(key(item), []).append(item)
    return [found.get(k, []) for k in keys]


def to_row(record: DataclassInstance, /, **more: Any) -> dict[str, Any]:
    """The way back of `from_row`: column -> value for the record's fields and `more`;
    enum members as their values. Ids stay strings: asyncpg reads a uuid from text."""
    row = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)} | more
    return {column: _column_value(value) for column, value in row.items()}


def arguments(record: object, columns: str, /, **more: Any) -> list[Any]:
    """The record's attributes (or `more`) named by `columns`, a column list as the SQL
    spells it, in its order; enum members as their values."""
    names = [name.strip() for name in columns.split(",")]
    return [_column_value(more[n] if n in more else getattr(record, n)) for n in names]


def insert(table: str, row: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """The statement that inserts `row` (column -> value) into `table`, and its arguments."""
    placeholders = ", ".join(f"${n}" for n in range(1, len(row) + 1))
    return f"INSERT INTO {table} ({', '.join(row)}) VALUES ({placeholders})", list(row.values())


def _column_value(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value
