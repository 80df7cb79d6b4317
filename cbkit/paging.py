"""Lists that page, the Relay way (`first`/`after`, `edges`, `pageInfo`, `totalCount`),
by keyset: a page starts after its cursor's sort key, so the 1,000th page costs what
the first does (no OFFSET), and rows that arrive while a client pages never make it
see a row twice or miss one that was there.

A repository orders by a unique key (`submitted_at, id`), asks `keyset` for the
condition and `LIMIT request.limit`, and hands the rows to `page`; the schema turns
the page into a `Connection[...]` with `connection`."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar

import orjson
import strawberry

from cbkit import wire
from cbkit.errors import Refusal

T = TypeVar("T")
N = TypeVar("N")

DEFAULT_PAGE = 20
MAX_PAGE = 100
_MAX_CURSOR = 1024


@dataclass(frozen=True)
class PageRequest:
    """Which page of the list called `list_name`: `first` rows after the sort key
    `after` (None: from the start)."""

    list_name: str
    first: int
    after: tuple[Any, ...] | None = None

    @property
    def limit(self) -> int:
        """Rows to fetch: one more than the page, to know whether another follows."""
        return self.first + 1


def page_request(list_name: str, first: int | None, after: str | None) -> PageRequest:
    """The page a client asks for, checked: `first` between 0 and 100, `after` a cursor
    this list gave out."""
    size = DEFAULT_PAGE if first is None else first
    if not 0 <= size <= MAX_PAGE:
        raise Refusal(
            f"first must be between 0 and {MAX_PAGE}, not {size}",
            field="first",
            zh=f"first 必须在 0 到 {MAX_PAGE} 之间，而不是 {size}",
        )
    return PageRequest(list_name, size, None if after is None else read_cursor(list_name, after))


def cursor(list_name: str, key: Sequence[Any]) -> str:
    """An opaque cursor: the list's name and the row's sort key."""
    payload = orjson.dumps({"l": list_name, "k": [_tagged(value) for value in key]})
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def read_cursor(list_name: str, text: str) -> tuple[Any, ...]:
    """The sort key a cursor of `list_name` holds; anything else is refused."""
    refusal = Refusal(
        f"after is not a cursor of this list ({list_name}): pass an endCursor it gave",
        field="after",
        zh=f"after 不是此列表（{list_name}）的游标：请传入该列表返回的 endCursor",
    )
    if len(text) > _MAX_CURSOR:
        raise refusal
    try:
        payload = orjson.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        if not isinstance(payload, dict) or payload.get("l") != list_name:
            raise refusal
        keys = payload["k"]
        if not isinstance(keys, list) or not keys:
            raise refusal
        return tuple(_untagged(value) for value in keys)
    except (ValueError, KeyError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise refusal from None


def _tagged(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Enum):
        return _tagged(value.value)
    if isinstance(value, datetime):
        return ["t", wire.instant(value)]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, uuid.UUID):
        return ["u", str(value)]
    if isinstance(value, Decimal):
        return ["n", str(value)]
    raise TypeError(f"a cursor cannot hold {type(value).__name__}")


_READERS: dict[str, Callable[[str], Any]] = {
    "t": wire.parse_instant,
    "d": date.fromisoformat,
    "u": uuid.UUID,
    "n": Decimal,
}


def _untagged(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, list) and len(value) == 2 and value[0] in _READERS:
        tag, text = value
        if isinstance(text, str):
            return _READERS[tag](text)
    raise ValueError("not a cursor value")


def keyset(
    request: PageRequest, columns: Sequence[str], args: list[Any], *, descending: bool = False
) -> str:
    """The SQL condition for rows after the request's cursor, ordered by `columns` (all
    ascending, or all descending), whose values are appended to `args`: put it in the
    WHERE clause and ORDER BY the same columns. TRUE on the first page."""
    if request.after is None:
        return "TRUE"
    if len(request.after) != len(columns):
        raise Refusal(
            f"after is not a cursor of this list ({request.list_name})",
            field="after",
            zh=f"after 不是此列表（{request.list_name}）的游标",
        )
    placeholders = []
    for value in request.after:
        args.append(value)
        placeholders.append(f"${len(args)}")
    operator = "<" if descending else ">"
    return f"({', '.join(columns)}) {operator} ({', '.join(placeholders)})"


def order_by(columns: Sequence[str], *, descending: bool = False) -> str:
    """`ORDER BY` text matching `keyset`'s condition."""
    direction = " DESC" if descending else ""
    return "ORDER BY " + ", ".join(f"{column}{direction}" for column in columns)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items with their cursors, and whether more follow."""

    items: list[T]
    cursors: list[str]
    has_next: bool


def page(request: PageRequest, rows: Sequence[T], key: Callable[[T], Sequence[Any]]) -> Page[T]:
    """The page of `rows` (fetched with `LIMIT request.limit`): the first `first` of them,
    each with the cursor of its sort key `key(row)`."""
    items = list(rows[: request.first])
    return Page(
        items=items,
        cursors=[cursor(request.list_name, key(item)) for item in items],
        has_next=len(rows) > request.first,
    )


@strawberry.federation.type(shareable=True, description="Where a page of a list stands.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool = strawberry.field(
        description="always false: lists page forwards, from `after`"
    )
    start_cursor: str | None
    end_cursor: str | None = strawberry.field(description="pass as `after` for the next page")


@strawberry.type
class Edge(Generic[N]):
    cursor: str
    node: N


@strawberry.type(description="A page of a list and how to get the next.")
class Connection(Generic[N]):
    edges: list[Edge[N]]
    nodes: list[N] = strawberry.field(
        description="the edges' nodes, for clients that need no cursor"
    )
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="how many the whole list holds, with its filters")
    async def total_count(self) -> int:
        return await self.count()


def connection(
    found: Page[T], node: Callable[[T], N], count: Callable[[], Awaitable[int]]
) -> Connection[N]:
    """The GraphQL connection of a page: `node` makes each item's GraphQL type, `count`
    counts the whole list (only asked when a client selects `totalCount`)."""
    nodes = [node(item) for item in found.items]
    return Connection(
        edges=[Edge(cursor=c, node=n) for c, n in zip(found.cursors, nodes, strict=True)],
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=found.has_next,
            has_previous_page=False,
            start_cursor=found.cursors[0] if found.cursors else None,
            end_cursor=found.cursors[-1] if found.cursors else None,
        ),
        count=count,
    )
