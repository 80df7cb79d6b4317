"""The bank's figures on results (`Stats`): counts with every status and kind named,
zero included, in their declared order; no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

E = TypeVar("E", bound=Enum)


def every(kinds: type[E], counted: Mapping[E, int]) -> list[tuple[E, int]]:
    """(member, count) for every member of `kinds`, in declaration order; 0 where
    nothing was counted."""
    return [(member, counted.get(member, 0)) for member in kinds]
