"""Rows from the domain's records, whose fields are named like their table's columns."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


def columns(record: DataclassInstance, **more: Any) -> dict[str, Any]:
    """Column -> value for the record's fields and `more`; enum members as their values
    (the database keeps them as text)."""
    row = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)} | more
    return {c: v.value if isinstance(v, Enum) else v for c, v in row.items()}


def insert(table: str, row: dict[str, Any]) -> tuple[str, list[Any]]:
    """The statement that inserts `row` into `table`, and its arguments."""
    placeholders = ", ".join(f"${n}" for n in range(1, len(row) + 1))
    return f"INSERT INTO {table} ({', '.join(row)}) VALUES ({placeholders})", list(row.values())
