"""Every custom scalar is parsed with bounds and refused by the name of its argument,
whether sent as a literal, a variable or inside an input object; text holding a NUL
character is refused before anything runs."""

import datetime as dt
from collections.abc import AsyncGenerator
from decimal import Decimal

import pytest
import strawberry
from strawberry.scalars import JSON

from cbkit.graphql import subgraph_schema
from cbkit.scalars import InvalidScalar, parse_date, parse_date_time, parse_decimal, parse_json

ran: list[str] = []


@strawberry.input
class Entry:
    title: str
    on: dt.date
    credits: Decimal | None = None


@strawberry.type
class Query:
    @strawberry.field
    def credits(self, amount: Decimal) -> Decimal:
        return amount

    @strawberry.field
    def day(self, on: dt.date) -> dt.date:
        return on

    @strawberry.field
    def instant(self, at: dt.datetime) -> dt.datetime:
        return at

    @strawberry.field
    def echo(self, data: JSON) -> JSON:
        return data

    @strawberry.field
    def greet(self, name: str, tags: list[str] | None = None) -> str:
        ran.append(name)
        return f"hello {name}"

    @strawberry.field
    def add(self, entry: Entry) -> str:
        return entry.title


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def ticks(self, after: str) -> AsyncGenerator[str, None]:
        ran.append(after)
        yield after


schema = subgraph_schema(Query, subscription=Subscription)


@pytest.mark.parametrize(
    ("sent", "parsed"),
    [("2.5", Decimal("2.5")), ("-3", Decimal(-3)), (42, Decimal(42)), ("999999999999.99", None)],
)
def test_a_decimal_is_a_bounded_decimal_string_or_whole_number(sent, parsed):
    assert parse_decimal(sent) == (parsed if parsed is not None else Decimal(sent))


@pytest.mark.parametrize(
    "sent",
    ["1e1000000", "NaN", "Infinity", "abc", "", " 1", "1.005", "1000000000000", "١٢", 2.5, True],
)
def test_a_decimal_out_of_bounds_or_not_a_number_is_refused(sent):
    with pytest.raises(InvalidScalar, match="must be a Decimal"):
        parse_decimal(sent)


def test_a_date_is_an_iso_date_in_a_sane_year():
    assert parse_date("2026-03-01") == dt.date(2026, 3, 1)
    for sent in ["2026-02-30", "20260301", "2026-W01-1", "0001-01-01", "9999-12-31", 20260301]:
        with pytest.raises(InvalidScalar, match="must be a Date"):
            parse_date(sent)


def test_a_date_time_has_an_offset():
    assert parse_date_time("2026-03-01T08:30:00Z") == dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)
    assert parse_date_time("2026-03-01T16:30:00.5+08:00").utcoffset() == dt.timedelta(hours=8)
    for sent in ["2026-03-01T08:30:00", "2026-03-01", "2026-03-01T25:00:00Z", "0001-01-01T00:00Z"]:
        with pytest.raises(InvalidScalar, match="must be a DateTime"):
            parse_date_time(sent)


def test_json_is_bounded_in_depth_and_size():
    assert parse_json({"a": [1, {"b": None}]}) == {"a": [1, {"b": None}]}
    deep: list[object] = []
    for _ in range(40):
        deep = [deep]
    with pytest.raises(InvalidScalar, match="nested deeper"):
        parse_json(deep)
    with pytest.raises(InvalidScalar, match="bytes"):
        parse_json({"big": "x" * 1_000_000})


async def refusal(query: str, variables: dict | None = None) -> tuple[str, str | None, str]:
    result = await schema.execute(query, variable_values=variables)
    assert result.data is None
    [error] = result.errors or []
    extensions = error.extensions or {}
    return extensions["code"], extensions.get("field"), error.message


BAD_INPUT = [
    ('{ credits(amount: "1e1000000") }', None, "amount"),
    ('{ credits(amount: "abc") }', None, "amount"),
    ("{ credits(amount: 2.5) }", None, "amount"),
    ("{ credits(amount: 99999999999999999999) }", None, "amount"),
    ("{ credits(amount: %s) }" % ("9" * 5000), None, "amount"),
    ("query($a: Decimal!) { credits(amount: $a) }", {"a": "NaN"}, "amount"),
    ('{ day(on: "2026-02-30") }', None, "on"),
    ('{ instant(at: "2026-03-01T08:30:00") }', None, "at"),
    ("query($d: JSON!) { echo(data: $d) }", {"d": {"x": "y" * 1_000_000}}, "data"),
    ('{ add(entry: {title: "t", on: "1066-10-14"}) }', None, "on"),
    (
        "query($e: Entry!) { add(entry: $e) }",
        {"e": {"title": "t", "on": "2026-01-01", "credits": "1e9"}},
        "credits",
    ),
]


@pytest.mark.parametrize(("query", "variables", "field"), BAD_INPUT)
async def test_a_refused_scalar_is_bad_user_input_naming_its_argument(query, variables, field):
    code, named, message = await refusal(query, variables)
    assert (code, named) == ("BAD_USER_INPUT", field)
    assert message.startswith(f"{field} must be ")


async def test_a_refusal_does_not_echo_a_huge_value():
    *_, message = await refusal("query($a: Decimal!) { credits(amount: $a) }", {"a": "9" * 10_000})
    assert len(message) < 200


NUL_TEXT = [
    ('{ greet(name: "a\\u0000b") }', None, "name"),
    ('{ greet(name: "a\\u{0}b") }', None, "name"),
    ('{ greet(name: """a\x00b""") }', None, "name"),
    ("query($n: String!) { greet(name: $n) }", {"n": "\x00"}, "name"),
    ('query($t: [String!]) { greet(name: "x", tags: $t) }', {"t": ["ok", "a\x00"]}, "tags"),
    (
        "query($e: Entry!) { add(entry: $e) }",
        {"e": {"title": "t\x00", "on": "2026-01-01"}},
        "title",
    ),
]


@pytest.mark.parametrize(("query", "variables", "field"), NUL_TEXT)
async def test_text_with_a_nul_character_is_refused_before_anything_runs(query, variables, field):
    ran.clear()
    code, named, message = await refusal(query, variables)
    assert (code, named, message) == (
        "BAD_USER_INPUT",
        field,
        f"{field} must not contain a NUL character",
    )
    assert ran == []


async def test_a_subscription_with_a_nul_character_is_refused_before_it_starts():
    ran.clear()
    answers = await schema.subscribe('subscription { ticks(after: "\\u0000") }')
    assert not isinstance(answers, strawberry.types.ExecutionResult)
    [answer] = [a async for a in answers]
    [error] = answer.errors or []
    assert error.extensions == {"code": "BAD_USER_INPUT", "field": "after"}
    assert ran == []


async def test_good_values_pass_and_are_written_as_before():
    result = await schema.execute(
        """{ credits(amount: "2.50") day(on: "2026-03-01")
             instant(at: "2026-03-01T08:30:00+08:00") echo(data: {a: [1]}) greet(name: "Li") }"""
    )
    assert result.errors is None
    assert result.data == {
        "credits": "2.50",
        "day": "2026-03-01",
        "instant": "2026-03-01T08:30:00+08:00",
        "echo": {"a": [1]},
        "greet": "hello Li",
    }


def test_the_scalars_keep_the_names_and_descriptions_clients_know():
    sdl = schema.as_str()
    for line in [
        '"""Decimal (fixed-point)"""\nscalar Decimal',
        '"""Date (isoformat)"""\nscalar Date',
        '"""Date with time (isoformat)"""\nscalar DateTime',
        "scalar JSON @specifiedBy(url:",
    ]:
        assert line in sdl
