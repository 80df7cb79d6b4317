"""What clients send, parsed one way in every subgraph: the custom scalars, bounded and
strict, refused as BAD_USER_INPUT (`cbkit.inputs.Operation` finds the argument a refused
value was given for). Names, descriptions and the wire form written out stay what
clients know, so the supergraph does not change."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable
from typing import Any, TypeVar

import orjson
from graphql import (
    ValueNode,
    value_from_ast_untyped,
)
from strawberry.scalars import JSON
from strawberry.schema.types.base_scalars import (
    DateDefinition,
    DateTimeDefinition,
    DecimalDefinition,
)
from strawberry.schema.types.scalar import DEFAULT_SCALAR_REGISTRY
from strawberry.types.scalar import ScalarDefinition

from cbkit.errors import Refusal
from cbkit.i18n import Text

D = TypeVar("D", dt.date, dt.datetime)

WHOLE_DIGITS, FRACTION_DIGITS = 12, 2
"""At most this many digits before and after the point: credits, caps, never more."""
YEARS = (1900, 2199)
MAX_JSON_BYTES = 1_000_000
"""A JSON argument written out (compact UTF-8): 1 MB, the largest credential
`verifyCredential` takes (a CLR transcript of 200 achievements is about 400 KB); the
gateway's body limit (1 MiB) lets it through as a variable."""
MAX_JSON_DEPTH = 16

_DECIMAL = re.compile(rf"-?\d{{1,{WHOLE_DIGITS}}}(\.\d{{1,{FRACTION_DIGITS}}})?", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})", re.ASCII
)


class InvalidScalar(Refusal):
    """A value a custom scalar refuses. The scalar does not know which argument it
    was given for: `named` says so once the GraphQL layer found out."""

    def __init__(
        self,
        expected: Text,
        value: object,
        *,
        shown: str | None = None,
        field: str | None = None,
    ) -> None:
        self.expected = expected
        self.value = value
        self.shown = shown or _shown(value)
        subject = field or "the value"
        super().__init__(
            f"{subject} must be {expected('en')}, not {self.shown}",
            field=field,
            zh=f"{field or '该值'}必须是{expected('zh')}，而不是 {self.shown}",
        )

    def named(self, field: str) -> InvalidScalar:
        return InvalidScalar(self.expected, self.value, shown=self.shown, field=field)


def _shown(value: object) -> str:
    """The refused value as the client sent it, cut short: a refusal never echoes
    megabytes back."""
    if isinstance(value, int) and abs(value) >= 2**63:
        return "a whole number that large"
    try:
        text = orjson.dumps(value, default=repr).decode()
    except TypeError:
        text = type(value).__name__
    return text if len(text) <= 40 else f"{text[:37]}..."


class _Unreadable:
    """A literal too long to read (a whole number of thousands of digits)."""

    def __repr__(self) -> str:
        return "a literal too long to read"


def parse_decimal(value: object) -> decimal.Decimal:
    """A decimal string or a whole number, finite, with at most 12 digits before the
    point and 2 after. Floats are refused: 0.1 is not what the client meant."""
    expected = Text(
        zh=f"Decimal：小数字符串或整数，整数部分至多 {WHOLE_DIGITS} 位，小数部分至多"
        f" {FRACTION_DIGITS} 位",
        en=f"a Decimal: a decimal string or whole number with at most {WHOLE_DIGITS}"
        f" digits before the point and {FRACTION_DIGITS} after",
    )
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value) if abs(value) < 10**WHOLE_DIGITS else ""
    else:
        text = value if isinstance(value, str) else ""
    if not _DECIMAL.fullmatch(text):
        raise InvalidScalar(expected, value)
    return decimal.Decimal(text)


def parse_date(value: object) -> dt.date:
    """An ISO date, `2026-03-01`, in a year a person could mean."""
    expected = Text(
        zh=f"Date：ISO 日期（YYYY-MM-DD），年份在 {YEARS[0]} 至 {YEARS[1]} 之间",
        en=f"a Date: an ISO date (YYYY-MM-DD) between the years {YEARS[0]} and {YEARS[1]}",
    )
    return _dated(value, _DATE, dt.date.fromisoformat, expected)


def parse_date_time(value: object) -> dt.datetime:
    """An RFC 3339 instant with its offset (`Z` or `+08:00`): a time without an offset
    means a different instant in every zone, so it is refused."""
    expected = Text(
        zh="DateTime：带时区偏移的 RFC 3339 时间，如 2026-03-01T08:30:00Z，"
        f"年份在 {YEARS[0]} 至 {YEARS[1]} 之间",
        en="a DateTime: RFC 3339 with an offset, like 2026-03-01T08:30:00Z,"
        f" between the years {YEARS[0]} and {YEARS[1]}",
    )
    return _dated(value, _DATE_TIME, dt.datetime.fromisoformat, expected)


def _dated(value: object, shape: re.Pattern[str], read: Callable[[str], D], expected: Text) -> D:
    try:
        if isinstance(value, str) and shape.fullmatch(value):
            parsed = read(value)
            if YEARS[0] <= parsed.year <= YEARS[1]:
                return parsed
    except ValueError:
        pass
    raise InvalidScalar(expected, value)


def parse_json(value: object) -> object:
    """Any JSON value, at most 1 MB written out and 16 levels deep."""
    expected = Text(
        zh=f"至多 {MAX_JSON_BYTES} 字节、{MAX_JSON_DEPTH} 层的 JSON",
        en=f"JSON of at most {MAX_JSON_BYTES} bytes and {MAX_JSON_DEPTH} levels",
    )
    if _depth_over(value, MAX_JSON_DEPTH):
        raise InvalidScalar(expected, value, shown="a value nested deeper")
    try:
        size = len(orjson.dumps(value))
    except TypeError:
        raise InvalidScalar(expected, value) from None
    if size > MAX_JSON_BYTES:
        raise InvalidScalar(expected, value, shown=f"{size} bytes")
    return value


def _depth_over(value: object, limit: int) -> bool:
    if isinstance(value, dict):
        children: Any = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return False
    return limit == 0 or any(_depth_over(child, limit - 1) for child in children)


def _bounded(definition: ScalarDefinition, parse: Callable[[object], object]) -> ScalarDefinition:
    """Strawberry's own scalar with the same name, description and output, parsed by
    `parse`, from a variable and from a literal alike."""

    def parse_literal(node: ValueNode, variables: dict[str, Any] | None = None) -> object:
        try:
            value = value_from_ast_untyped(node, variables)
        except ValueError:
            value = _Unreadable()
        return parse(value)

    return ScalarDefinition(
        name=definition.name,
        description=definition.description,
        specified_by_url=definition.specified_by_url,
        serialize=definition.serialize,
        parse_value=parse,
        parse_literal=parse_literal,
        origin=definition.origin,
    )


SCALARS: dict[object, ScalarDefinition] = {
    decimal.Decimal: _bounded(DecimalDefinition, parse_decimal),
    dt.date: _bounded(DateDefinition, parse_date),
    dt.datetime: _bounded(DateTimeDefinition, parse_date_time),
    JSON: _bounded(DEFAULT_SCALAR_REGISTRY[JSON], parse_json),
}
"""Python type -> its bounded GraphQL scalar, as `scalar_overrides` takes them."""
