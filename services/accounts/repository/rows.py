"""Query arguments from domain records: the way back of `cbkit.db.from_row`."""

from __future__ import annotations

from enum import Enum
from typing import Any


def arguments(record: object, columns: str) -> list[Any]:
    """The record's attributes named by `columns`, a column list as the SQL spells it,
    in its order; an enum gives its value. Ids stay strings: asyncpg reads a uuid
    parameter from its text."""
    return [_argument(getattr(record, name.strip())) for name in columns.split(",")]


def _argument(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value
