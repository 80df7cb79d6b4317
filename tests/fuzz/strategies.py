"""What the fuzz sends: operations on one root field each, generated from the schema
the gateway shows, with custom scalars drawn from good values and the values that broke
services before (huge, not a number, out of range, no offset)."""

from datetime import UTC, date, datetime

import hypothesis_graphql
from graphql import GraphQLSchema, ValueNode
from hypothesis import strategies as st
from hypothesis_graphql import nodes

NASTY_TEXT = ["", "abc", "NaN", "Infinity", "-0", "1e1000000", "\x00", " 1", "null"]


def _strings(*good: st.SearchStrategy[str]) -> st.SearchStrategy[ValueNode]:
    return st.one_of(*good, st.sampled_from(NASTY_TEXT), st.text(max_size=30)).map(nodes.String)


DECIMALS = st.one_of(
    _strings(st.decimals(allow_nan=True, allow_infinity=True).map(str)),
    st.integers(min_value=-(10**20), max_value=10**20).map(nodes.Int),
    st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
)
DATES = _strings(
    st.dates().map(date.isoformat),
    st.sampled_from(["2026-02-30", "0001-01-01", "9999-12-31", "20260301"]),
)
DATE_TIMES = _strings(
    st.datetimes(timezones=st.just(UTC)).map(datetime.isoformat),
    st.datetimes().map(datetime.isoformat),
)
JSON_VALUES = st.one_of(
    st.integers().map(nodes.Int), _strings(), st.just(nodes.Object([])), st.just(nodes.List([]))
)
CUSTOM_SCALARS = {"Decimal": DECIMALS, "Date": DATES, "DateTime": DATE_TIMES, "JSON": JSON_VALUES}


def root_fields(schema: GraphQLSchema) -> list[tuple[str, str]]:
    """(kind, name) of every query and mutation root field."""
    found = []
    for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        found += [(kind, name) for name in sorted(root.fields)] if root else []
    return found


def operations(schema: GraphQLSchema, kind: str, name: str) -> st.SearchStrategy[str]:
    """Valid operations (by the schema) on root field `name`, arguments at random."""
    make = hypothesis_graphql.queries if kind == "query" else hypothesis_graphql.mutations
    return make(schema, fields=[name], custom_scalars=CUSTOM_SCALARS)
