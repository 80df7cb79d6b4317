"""What a caller got for one cell, read from a GraphQL answer: the data, or a refusal.

A cell's keys lead from the answer's data to the field asked (lists are followed into
every element). The caller read it when some element reaches the field with no error
on the way; it was refused when the way ends in null with a refusal (FORBIDDEN,
UNAUTHENTICATED, or NOT_FOUND for a lookup that hides what exists) at or below that
point, or above it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

REFUSALS = frozenset({"FORBIDDEN", "UNAUTHENTICATED", "NOT_FOUND"})

Key = str | int


class Got(StrEnum):
    READ = "data"
    NULL = "null, no refusal"
    NOTHING = "null above it, no refusal"
    EMPTY = "an empty list on the way"
    REFUSED = "refused"
    ERROR = "an error that is no refusal"
    WITHHELD = "not sent: a later event came first"
    TIMEOUT = "no answer in time"


ALLOWED_OUTCOMES = frozenset({Got.READ, Got.NULL})
"""What a caller who may read a field may get: its value, which may be null."""
DENIED_OUTCOMES = frozenset({Got.REFUSED, Got.WITHHELD})
"""What a caller who may not read it may get: a refusal (or, on a feed, nothing sent)."""


@dataclass(frozen=True)
class Finding:
    got: Got
    detail: str = ""

    def agrees(self, may_read: bool) -> bool:
        return self.got in (ALLOWED_OUTCOMES if may_read else DENIED_OUTCOMES)

    def __str__(self) -> str:
        return f"{self.got.value} ({self.detail})" if self.detail else self.got.value


def _ends(node: Any, keys: Sequence[str], at: tuple[Key, ...]) -> Iterator[tuple[tuple, bool]]:
    """Where the way along `keys` ends, in each element: (path, reached the field)."""
    if not keys:
        yield at, True
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _ends(item, keys, (*at, index))
    elif not isinstance(node, dict) or keys[0] not in node:
        yield at, False
    else:
        yield from _ends(node[keys[0]], keys[1:], (*at, keys[0]))


def _value(data: Any, path: tuple[Key, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _related(errors: list[dict[str, Any]], at: tuple[Key, ...]) -> list[dict[str, Any]]:
    """Errors on the way to `at`, at it, or below it (whose null rose to it)."""
    found = []
    for error in errors:
        path = tuple(error.get("path") or ())
        shorter = min(len(path), len(at))
        if path[:shorter] == at[:shorter]:
            found.append(error)
    return found


def _code(error: dict[str, Any]) -> str:
    return str((error.get("extensions") or {}).get("code", "no code"))


def refusal(errors: list[dict[str, Any]]) -> Finding:
    codes = sorted({_code(e) for e in errors})
    detail = f"{', '.join(codes)}: {errors[0].get('message', '')}"
    if all(code in REFUSALS for code in codes):
        return Finding(Got.REFUSED, detail)
    return Finding(Got.ERROR, detail)


def finding(answer: dict[str, Any], keys: Sequence[str]) -> Finding:
    """What the answer says the caller got at the end of `keys`."""
    data, errors = answer.get("data"), list(answer.get("errors") or ())
    ends = list(_ends(data, keys, ()))
    kinds: list[Finding] = []
    for at, reached in ends:
        related = _related(errors, at)
        if related:
            kinds.append(refusal(related))
        elif reached:
            value = _value(data, at)
            kinds.append(Finding(Got.READ if value is not None else Got.NULL))
        else:
            kinds.append(Finding(Got.NOTHING, f"null at {'.'.join(map(str, at))}"))
    if not kinds:
        return Finding(Got.EMPTY)
    for got in (Got.READ, Got.NULL, Got.ERROR, Got.REFUSED, Got.NOTHING):
        for kind in kinds:
            if kind.got is got:
                return kind
    return kinds[0]
