"""SQL the repository's tables share: rows by a uuid column, a batch of keys at a time
(for the DataLoaders), and a learner's lists that page newest first (conversions,
refusals, certificates): keyset over a unique order ending in the row's id, with an
index matching it, so the last page costs what the first does."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Generic, TypeVar

import asyncpg

from cbkit.db import Connection, all_per_key, from_row, one_per_key, parse_uuids
from cbkit.paging import Page, PageRequest, keyset, order_by, page

T = TypeVar("T")


@dataclass(frozen=True)
class Rows(Generic[T]):
    """The rows of `table` as `record`s (`columns` read, the record's fields named
    as the columns)."""

    table: str
    columns: str
    record: type[T]

    def make(self, row: asyncpg.Record) -> T:
        return from_row(self.record, row)


@dataclass(frozen=True)
class LearnerRows(Rows[T]):
    """Rows of learners (by `learner_id`), newest first by `order` (unique, ending in
    the id); `key` gives a record's values of `order` (by default its fields so named)."""

    order: tuple[str, ...]
    key: Callable[[T], tuple[Any, ...]] | None = None

    def key_of(self, record: T) -> tuple[Any, ...]:
        if self.key is not None:
            return self.key(record)
        return tuple(getattr(record, column) for column in self.order)


async def one_per_uuid(
    conn: Connection, rows: Rows[T], column: str, keys: list[str]
) -> list[T | None]:
    """Per key, the record whose uuid `column` holds it (None where none)."""
    found = await conn.fetch(
        f"SELECT {rows.columns} FROM {rows.table} WHERE {column} = ANY($1::uuid[])",
        parse_uuids(keys),
    )
    return one_per_key(keys, (rows.make(r) for r in found), attrgetter(column))


async def all_per_uuid(
    conn: Connection, rows: Rows[T], column: str, keys: list[str], order: str
) -> list[list[T]]:
    """Per key, the records whose uuid `column` holds it, in `order`."""
    found = await conn.fetch(
        f"SELECT {rows.columns} FROM {rows.table} WHERE {column} = ANY($1::uuid[])"
        f" ORDER BY {order}",
        parse_uuids(keys),
    )
    return all_per_key(keys, (rows.make(r) for r in found), attrgetter(column))


def _where(learner_id: str, equal: dict[str, Any]) -> tuple[str, list[Any]]:
    """The learner's rows with each column of `equal` holding its value (None: any)."""
    args: list[Any] = [uuid.UUID(learner_id)]
    conditions = ["learner_id = $1"]
    for column, value in equal.items():
        if value is not None:
            args.append(value)
            conditions.append(f"{column} = ${len(args)}")
    return " AND ".join(conditions), args


async def newest_page(
    conn: Connection, rows: LearnerRows[T], learner_id: str, request: PageRequest, **equal: Any
) -> Page[T]:
    """A page of the learner's rows (those whose columns hold the values `equal`
    gives), newest first, after the request's cursor."""
    where, args = _where(learner_id, equal)
    after = keyset(request, rows.order, args, descending=True)
    found = await conn.fetch(
        f"SELECT {rows.columns} FROM {rows.table} WHERE {where} AND {after}"
        f" {order_by(rows.order, descending=True)} LIMIT {request.limit}",
        *args,
    )
    return page(request, [rows.make(r) for r in found], key=rows.key_of)


async def count_newest(
    conn: Connection, rows: LearnerRows[Any], learner_id: str, **equal: Any
) -> int:
    """How many rows the learner's list holds with the same filters."""
    where, args = _where(learner_id, equal)
    count: int = await conn.fetchval(f"SELECT count(*) FROM {rows.table} WHERE {where}", *args)
    return count
