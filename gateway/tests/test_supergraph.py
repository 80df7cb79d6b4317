"""Loading supergraphs: the API schema clients see, and features refused by name."""

from __future__ import annotations

import pytest
from graphql import GraphQLEnumType, GraphQLObjectType

from gateway.supergraph import Supergraph, UnsupportedSupergraphError
from gateway.tests.handwritten import SUPERGRAPH


def test_api_schema_hides_join_machinery_and_inaccessible_elements() -> None:
    schema = Supergraph(SUPERGRAPH).api_schema
    assert not [name for name in schema.type_map if name.startswith(("join__", "link__"))]
    assert {d.name for d in schema.directives} == {
        "include",
        "skip",
        "deprecated",
        "specifiedBy",
        "oneOf",
    }
    query, account, region = (schema.get_type(n) for n in ("Query", "Account", "Region"))
    assert isinstance(query, GraphQLObjectType) and "secret" not in query.fields
    assert isinstance(account, GraphQLObjectType) and "hidden" not in account.fields
    assert isinstance(region, GraphQLEnumType) and set(region.values) == {"EU", "US"}


def test_subgraph_urls_come_from_join_graph() -> None:
    assert Supergraph(SUPERGRAPH).subgraph_urls == {
        "a": "http://a.example/graphql",
        "b": "http://b.example/graphql",
        "c": "http://c.example/graphql",
    }


SUPPORTED = {
    "entity interface": (
        "interface Node @join__type(graph: B)",
        'interface Node @join__type(graph: B, key: "id")',
    ),
    "progressive @override": (
        'override: "a")',
        'override: "a", overrideLabel: "percent(5)")',
    ),
}


@pytest.mark.parametrize("feature,edit", SUPPORTED.items(), ids=list(SUPPORTED))
def test_federation_2_features_load(feature: str, edit: tuple[str, str]) -> None:
    before, after = edit
    assert before in SUPERGRAPH
    supergraph = Supergraph(SUPERGRAPH.replace(before, after))
    assert supergraph.api_schema.get_type("Account") is not None


def test_progressive_override_keeps_the_old_owner_while_its_label_is_off() -> None:
    sdl = SUPERGRAPH.replace(
        "level: Int @join__field(graph: A, usedOverridden: true) "
        '@join__field(graph: B, override: "a")',
        'level: Int @join__field(graph: A, overrideLabel: "percent(5)") '
        '@join__field(graph: B, override: "a", overrideLabel: "percent(5)")',
    )
    assert Supergraph(sdl).field_graphs("Account", "level") == ["a"]
    assert Supergraph(SUPERGRAPH).field_graphs("Account", "level") == ["b"]


UNSUPPORTED = {
    "@fromContext": (
        "price: Float @join__field(graph: C)",
        'price: Float @join__field(graph: C, contextArguments: [{name: "x", type: "ID", '
        'context: "c", selection: "{ id }"}])',
    ),
    "@authenticated": (
        '@link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)',
        '@link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION) '
        '@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)',
    ),
    "@join__directive": (
        "price: Float @join__field(graph: C)",
        'price: Float @join__field(graph: C) @join__directive(graphs: [C], name: "x")',
    ),
}


@pytest.mark.parametrize("feature,edit", UNSUPPORTED.items(), ids=list(UNSUPPORTED))
def test_unsupported_features_are_refused_by_name(feature: str, edit: tuple[str, str]) -> None:
    before, after = edit
    assert before in SUPERGRAPH
    sdl = SUPERGRAPH.replace(before, after)
    if feature == "@join__directive":
        sdl += "\ndirective @join__directive(graphs: [join__Graph!], name: String!) repeatable "
        sdl += "on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION\n"
    with pytest.raises(
        UnsupportedSupergraphError, match=f"unsupported supergraph feature {feature}"
    ):
        Supergraph(sdl)
