"""Planner unit tests on a hand-written supergraph: which subgraph gets which query, when."""

from __future__ import annotations

import pytest

from gateway.operation import OperationError
from gateway.plan import Fetch, Plan
from gateway.plan_cache import PlanCache
from gateway.supergraph import Supergraph
from gateway.tests.handwritten import SUPERGRAPH

ACCOUNT_REFERENCE = "_cb___typename: __typename _cb_id: id"


@pytest.fixture(scope="module")
def plans() -> PlanCache:
    return PlanCache(Supergraph(SUPERGRAPH))


def stage(plans: PlanCache, query: str) -> tuple[Fetch, ...]:
    """The fetches of the plan's only stage."""
    (only,) = plans.plan(query, None).stages
    return only


def fetches(plan: Plan) -> list[list[tuple[str, list[int], str]]]:
    """Per stage: (subgraph, fetch ids depended on, query) of every fetch."""
    return [[(f.subgraph, sorted(f.depends_on), f.query) for f in stage] for stage in plan.stages]


def test_root_field_goes_to_its_owner(plans: PlanCache) -> None:
    plan = plans.plan('{ account(id: "1") { name } }', None)
    assert fetches(plan) == [[("a", [], 'query { account(id: "1") { name } }')]]


def test_root_fields_of_different_subgraphs_are_independent(plans: PlanCache) -> None:
    plan = plans.plan('{ account(id: "1") { id } seat(row: 1, number: 2) { row } }', None)
    assert fetches(plan) == [
        [
            ("a", [], 'query { account(id: "1") { id } }'),
            ("b", [], "query { seat(row: 1, number: 2) { row } }"),
        ]
    ]


def test_key_jump_fetches_the_key_first_then_entities(plans: PlanCache) -> None:
    plan = plans.plan('{ account(id: "1") { name seats { row } } }', None)
    assert fetches(plan) == [
        [
            ("a", [], f'query {{ account(id: "1") {{ name {ACCOUNT_REFERENCE} }} }}'),
            (
                "b",
                [0],
                "query($_cb_0: [_Any!]!) { _cb_0: _entities(representations: $_cb_0) "
                "{ ... on Account { seats { row } } } }",
            ),
        ]
    ]
    (call,) = plan.stages[0][1].entity_calls
    assert (call.type_name, call.paths) == ("Account", (("account",),))
    assert [r.name for r in call.required] == ["id"]


def test_requires_fields_are_fetched_before_and_sent_in_the_representation(
    plans: PlanCache,
) -> None:
    first, second = stage(plans, '{ account(id: "1") { greeting } }')
    assert first.query == (f'query {{ account(id: "1") {{ {ACCOUNT_REFERENCE} name }} }}')
    (call,) = second.entity_calls
    assert [(r.name, r.source_key) for r in call.required] == [
        ("id", "_cb_id"),
        ("name", "name"),
    ]
    assert "... on Account { greeting }" in second.query


def test_a_required_field_keeps_its_name_unless_the_client_uses_that_name(
    plans: PlanCache,
) -> None:
    first, _ = stage(plans, '{ account(id: "1") { name: region greeting } }')
    assert first.query == (
        f'query {{ account(id: "1") {{ name: region {ACCOUNT_REFERENCE} _cb_name: name }} }}'
    )


def test_compound_key_and_two_jumps_in_sequence(plans: PlanCache) -> None:
    plan = plans.plan("{ topSeat { price holder { region } } }", None)
    (stage,) = fetches(plan)
    assert stage[0] == (
        "c",
        [],
        "query { topSeat { price _cb___typename: __typename _cb_row: row _cb_number: number } }",
    )
    assert stage[1][:2] == ("b", [0])
    assert f"... on Seat {{ holder {{ {ACCOUNT_REFERENCE} }} }}" in stage[1][2]
    assert stage[2][:2] == ("a", [1])
    assert "... on Account { region }" in stage[2][2]
    (call,) = plan.stages[0][2].entity_calls
    assert call.paths == (("topSeat", "holder"),)


def test_provided_fields_come_with_the_field_that_provides_them(plans: PlanCache) -> None:
    c, b = stage(plans, "{ topSeat { holder { name } } }")
    assert (c.subgraph, b.subgraph) == ("c", "b")
    assert "... on Seat { holder { name } }" in b.query


def test_override_sends_the_field_to_its_new_owner(plans: PlanCache) -> None:
    a, b = stage(plans, '{ account(id: "1") { level } }')
    assert (a.subgraph, b.subgraph) == ("a", "b")
    assert "... on Account { level }" in b.query


def test_shareable_field_is_fetched_where_the_planner_already_is(plans: PlanCache) -> None:
    from_a = plans.plan('{ account(id: "1") { label } }', None)
    from_b = plans.plan("{ seat(row: 1, number: 1) { holder { label } } }", None)
    assert fetches(from_a) == [[("a", [], 'query { account(id: "1") { label } }')]]
    assert fetches(from_b) == [
        [("b", [], "query { seat(row: 1, number: 1) { holder { label } } }")]
    ]


@pytest.mark.parametrize(
    "query",
    ["{ secret }", '{ account(id: "1") { hidden } }', "{ accounts { region } nope }"],
)
def test_inaccessible_and_unknown_fields_fail_validation(plans: PlanCache, query: str) -> None:
    with pytest.raises(OperationError) as refused:
        plans.plan(query, None)
    assert "Cannot query field" in refused.value.errors[0].message


def test_union_members_and_interface_fields_within_a_subgraph(plans: PlanCache) -> None:
    root, prices = stage(
        plans,
        "{ stuff { ... on Seat { row price } ... on Plain { text } } nodes { id ... on Plain "
        "{ text } } }",
    )
    assert root.query == (
        "query { stuff { _cb___typename: __typename ... on Seat { row "
        "_cb___typename: __typename _cb_row: row _cb_number: number } ... on Plain { text } } "
        "nodes { _cb___typename: __typename id ... on Plain { text } } }"
    )
    (call,) = prices.entity_calls
    assert (prices.subgraph, call.type_name, call.paths) == ("c", "Seat", (("stuff",),))


def test_entities_of_one_step_share_one_request_per_subgraph(plans: PlanCache) -> None:
    root, entities = stage(
        plans,
        '{ accounts { seats { row } } one: account(id: "1") { seats { row } } '
        'two: account(id: "2") { seats { number } } }',
    )
    assert entities.subgraph == "b" and entities.depends_on == {root.id}
    assert [c.paths for c in entities.entity_calls] == [
        (("accounts",), ("one",)),
        (("two",),),
    ]


def test_mutation_root_fields_run_one_after_another(plans: PlanCache) -> None:
    plan = plans.plan(
        'mutation { open(name: "x") { id } book(row: 1) { row } close(id: "1") }', None
    )
    assert fetches(plan) == [
        [("a", [], 'mutation { open(name: "x") { id } }')],
        [("b", [], "mutation { book(row: 1) { row } }")],
        [("a", [], 'mutation { close(id: "1") }')],
    ]


def test_variables_are_declared_only_where_used_with_their_defaults(plans: PlanCache) -> None:
    plan = plans.plan(
        "query Q($id: ID! = 1, $row: Int!, $n: Int!) { account(id: $id) { id } "
        "seat(row: $row, number: $n) { row } }",
        "Q",
    )
    a, b = plan.stages[0]
    assert a.query == "query($id: ID! = 1) { account(id: $id) { id } }"
    assert b.query == "query($row: Int!, $n: Int!) { seat(row: $row, number: $n) { row } }"
    assert b.variable_names == {"row", "n"}


def test_skip_and_include_travel_with_fields_and_jumps(plans: PlanCache) -> None:
    a, b = stage(
        plans,
        'query($on: Boolean!) { account(id: "1") { name @include(if: $on) '
        "... @skip(if: $on) { seats { row } } } }",
    )
    assert a.query == (
        'query($on: Boolean!) { account(id: "1") { name @include(if: $on) '
        f"... @skip(if: $on) {{ {ACCOUNT_REFERENCE} }} }} }}"
    )
    assert "... on Account { ... @skip(if: $on) { seats { row } } }" in b.query
    assert "$on: Boolean!" in b.query


def test_fragments_and_aliases_keep_client_response_keys(plans: PlanCache) -> None:
    a, b = stage(
        plans,
        '{ acc: account(id: "1") { ...Bits } } fragment Bits on Account { who: name seats '
        "{ r: row } }",
    )
    assert a.query == f'query {{ acc: account(id: "1") {{ who: name {ACCOUNT_REFERENCE} }} }}'
    assert "... on Account { seats { r: row } }" in b.query
    assert b.entity_calls[0].paths == (("acc",),)


def test_introspection_is_answered_by_the_gateway(plans: PlanCache) -> None:
    plan = plans.plan("{ __schema { queryType { name } } __typename }", None)
    assert plan.stages == ()
    assert plan.introspection is not None


def test_internal_aliases_avoid_names_the_client_uses(plans: PlanCache) -> None:
    root, _ = stage(plans, '{ _cb_id: account(id: "1") { seats { row } } }')
    assert "_cb1___typename: __typename _cb1_id: id" in root.query


def test_plans_are_cached_per_document_and_operation_name(plans: PlanCache) -> None:
    document = "query A { accounts { id } } query B { accounts { name } }"
    assert plans.plan(document, "A") is plans.plan(document, "A")
    assert plans.plan(document, "A") is not plans.plan(document, "B")
    with pytest.raises(OperationError):
        plans.plan(document, None)


FEDERATION_2 = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", '
    'import: ["@key", "@shareable", "@interfaceObject"])\n'
)
SHELF = (
    FEDERATION_2
    + """
type Query { media: [Media!]! stats: Stats @shareable }
interface Media @key(fields: "id") { id: ID! title: String }
type Book implements Media @key(fields: "id") {
  id: ID! title: String pages: Int code: String! @shareable
}
type Song implements Media @key(fields: "id") { id: ID! title: String code: String }
type Stats @shareable { count: Int max: Int }
"""
)
RATINGS = (
    FEDERATION_2
    + """
type Query { top: Media stats: Stats @shareable }
type Media @key(fields: "id") @interfaceObject { id: ID! stars: Int }
type Stats @shareable { count: Int average: Float }
"""
)
CODES = FEDERATION_2 + 'type Book @key(fields: "id") { id: ID! code: String @shareable }\n'


@pytest.fixture(scope="module")
def fed2_plans() -> PlanCache:
    """Shelf has the entity interface Media; ratings adds `stars` as an @interfaceObject;
    Book.code is `String!` in shelf, `String` in codes (so `String` in the supergraph)."""
    from gateway.compose import SubgraphSource, compose_supergraph

    sources = [
        SubgraphSource("shelf", "http://shelf.example/graphql", SHELF),
        SubgraphSource("ratings", "http://ratings.example/graphql", RATINGS),
        SubgraphSource("codes", "http://codes.example/graphql", CODES),
    ]
    return PlanCache(Supergraph(compose_supergraph(sources)))


def test_interface_object_fields_come_from_it_without_its_typename(
    fed2_plans: PlanCache,
) -> None:
    plan = fed2_plans.plan("{ top { id stars } }", None)
    assert fetches(plan) == [[("ratings", [], "query { top { id stars } }")]]


def test_type_conditions_below_an_interface_object_ask_the_interface_owner(
    fed2_plans: PlanCache,
) -> None:
    ratings, shelf = stage(fed2_plans, "{ top { stars __typename ... on Book { pages } } }")
    assert ratings.query == "query { top { stars _cb_id: id } }"
    assert "... on Media { _cb___typename: __typename ... on Book { pages } }" in shelf.query
    (call,) = shelf.entity_calls
    assert call.type_name == "Media"


def test_interface_object_fields_of_any_implementation_go_through_the_interface(
    fed2_plans: PlanCache,
) -> None:
    shelf, ratings = stage(fed2_plans, "{ media { title stars } }")
    assert shelf.query == ("query { media { _cb___typename: __typename title _cb_id: id } }")
    (call,) = ratings.entity_calls
    assert call.type_name == "Media"
    assert call.typenames >= {"Book", "Song"}
    assert "... on Media { stars }" in ratings.query


def test_fields_typed_differently_in_two_implementations_are_aliased(
    fed2_plans: PlanCache,
) -> None:
    (shelf,) = stage(fed2_plans, "{ media { ... on Book { code } ... on Song { code } } }")
    assert "... on Book { _cb_t1_code: code }" in shelf.query
    assert "... on Song { _cb_t0_code: code }" in shelf.query
    assert dict(shelf.renames) == {"_cb_t0_code": "code", "_cb_t1_code": "code"}


def test_a_shareable_root_value_split_over_subgraphs_is_asked_of_both(
    fed2_plans: PlanCache,
) -> None:
    plan = fed2_plans.plan("{ stats { max average } }", None)
    assert fetches(plan) == [
        [
            ("ratings", [], "query { stats { average } }"),
            ("shelf", [], "query { stats { max } }"),
        ]
    ]
