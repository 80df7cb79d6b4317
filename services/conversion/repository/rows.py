"""Rows made domain values, and lined up with the keys a DataLoader asked for: one
answer per key, in order."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar, cast

import asyncpg

from cbkit.db import from_row

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def from_asyncpg(cls: type[T], row: asyncpg.Record, **values: Any) -> T:
    """`cbkit.db.from_row` for an asyncpg record: a mapping at run time, though its type
    stubs do not say so (goes once `from_row` accepts records)."""
    return from_row(cls, cast(Mapping[str, Any], row), **values)


def one_per_key(keys: Sequence[K], items: Iterable[T], key: Callable[[T], K]) -> list[T | None]:
    """The item of each key, or None where there is none."""
    found = {key(item): item for item in items}
    return [found.get(k) for k in keys]


def all_per_key(keys: Sequence[K], items: Iterable[T], key: Callable[[T], K]) -> list[list[T]]:
    """The items of each key, in the order they come."""
    found: dict[K, list[T]] = {}
    for item in items:
        found.setdefault(key(item), []).append(item)
    return [found.get(k, []) for k in keys]
