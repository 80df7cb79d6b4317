"""SQL for a learner's lists that page newest first (conversions, refusals,
certificates): keyset over a unique order ending in the row's id, with an index
matching it, so the last page costs what the first does."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import asyncpg

from cbkit.db import Connection
from cbkit.paging import Page, PageRequest, keyset, order_by, page

T = TypeVar("T")


@dataclass(frozen=True)
class LearnerRows(Generic[T]):
    """A learner's rows of `table` (by its `learner_id`), newest first by `order`
    (unique, ending in the id); `make` turns a row into a record and `key` gives the
    record's values of `order`."""

    table: str
    columns: str
    order: tuple[str, ...]
    make: Callable[[asyncpg.Record], T]
    key: Callable[[T], tuple[Any, ...]]


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
    return page(request, [rows.make(r) for r in found], key=rows.key)


async def count_newest(
    conn: Connection, rows: LearnerRows[Any], learner_id: str, **equal: Any
) -> int:
    """How many rows the learner's list holds with the same filters."""
    where, args = _where(learner_id, equal)
    count: int = await conn.fetchval(f"SELECT count(*) FROM {rows.table} WHERE {where}", *args)
    return count
