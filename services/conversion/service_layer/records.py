"""Records with their fields named as the API names them (`outcome_id` -> `outcomeId`):
how the catalog's history keeps an entry and how a learner's export writes theirs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def api_name(field: str) -> str:
    """A field's name in the API: `outcome_id` -> `outcomeId`."""
    first, *rest = field.split("_")
    return first + "".join(part.title() for part in rest)


def by_api_name(record: object, fields: Iterable[str]) -> dict[str, Any]:
    """The record's `fields`, in that order, each under its API name."""
    return {api_name(field): getattr(record, field) for field in fields}
