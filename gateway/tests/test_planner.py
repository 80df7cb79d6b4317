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
    assert first.query == (f'query {{ account(id: "1") {{ {ACCOUNT_REFERENCE} _cb_name: name }} }}')
    (call,) = second.entity_calls
    assert [(r.name, r.source_key) for r in call.required] == [
        ("id", "_cb_id"),
        ("name", "_cb_name"),
    ]
    assert "... on Account { greeting }" in second.query


def test_compound_key_and_two_jumps_in_sequence(plans: PlanCache) -> None:
    plan = plans.plan("{ topSeat { price holder { name } } }", None)
    (stage,) = fetches(plan)
    assert stage[0] == (
        "c",
        [],
        "query { topSeat { price _cb___typename: __typename _cb_row: row _cb_number: number } }",
    )
    assert stage[1][:2] == ("b", [0])
    assert f"... on Seat {{ holder {{ {ACCOUNT_REFERENCE} }} }}" in stage[1][2]
    assert stage[2][:2] == ("a", [1])
    assert "... on Account { name }" in stage[2][2]
    (call,) = plan.stages[0][2].entity_calls
    assert call.paths == (("topSeat", "holder"),)


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


def test_external_field_is_not_taken_from_the_subgraph_that_only_references_it(
    plans: PlanCache,
) -> None:
    planned = stage(plans, "{ seat(row: 1, number: 1) { holder { name } } }")
    assert [f.subgraph for f in planned] == ["b", "a"]


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
