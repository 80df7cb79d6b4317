"""Our gateway against Apollo Gateway on the toy subgraphs: same data, same error paths."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.tests.harness import GatewayPair

AS_ADA = {"authorization": "Bearer p1"}

CASES: dict[str, tuple[str, dict[str, Any] | None]] = {
    "root field of one subgraph": ('{ person(id: "p1") { id name } }', None),
    "root fields of several subgraphs": (
        '{ person(id: "p2") { name } book(isbn: "b1") { title } copy(library: "east", code: "c1") '
        "{ condition } }",
        None,
    ),
    "aliases": ('{ a: person(id: "p1") { who: name } b: person(id: "p2") { who: name id } }', None),
    "same field twice, merged": (
        '{ person(id: "p1") { name } person(id: "p1") { id name } }',
        None,
    ),
    "typename everywhere": (
        '{ __typename person(id: "p1") { __typename t: __typename books { __typename } } }',
        None,
    ),
    "entity jump": ('{ person(id: "p1") { name books { title year } } }', None),
    "entity jump two levels deep": (
        "{ books { title author { name books { title copies { library code condition } } } } }",
        None,
    ),
    "list of entities, de-duplicated representations": (
        "{ people { name friends { name books { isbn } } } }",
        None,
    ),
    "jump back to the first subgraph": (
        '{ book(isbn: "b2") { author { name bestFriend { name books { title } } } } }',
        None,
    ),
    "requires": ("{ books { isbn shippingCost } }", None),
    "requires with an error for one entity": (
        '{ book(isbn: "b2") { title shippingCost } }',
        None,
    ),
    "requires through a nullable parent": ('{ a: book(isbn: "b1") { shippingCost } }', None),
    "compound key": (
        '{ copy(library: "central", code: "c1") { library code reviewCount book { title } } }',
        None,
    ),
    "compound key from a list": (
        '{ book(isbn: "b1") { copies { code reviewCount condition } } }',
        None,
    ),
    "compound key from the other side": (
        "{ topReview { body copyReviewed { code condition book { title weight } } } }",
        None,
    ),
    "override": ('{ book(isbn: "b1") { year } }', None),
    "shareable field fetched locally": (
        '{ copy(library: "east", code: "c1") { book { title } } }',
        None,
    ),
    "union with fragments": (
        '{ search(term: "o") { __typename ... on Book { title author { name } } '
        "... on Magazine { title issue } } }",
        None,
    ),
    "interface with fragments": (
        "{ publications { __typename title ... on Book { isbn weight } "
        "... on Magazine { issue } } }",
        None,
    ),
    "named fragments": (
        'query { person(id: "p3") { ...Who books { ...BookBits } } } '
        "fragment Who on Person { id name } "
        "fragment BookBits on Book { title copies { code } }",
        None,
    ),
    "nested inline fragments without type": (
        '{ person(id: "p1") { ... { name ... { books { title } } } } }',
        None,
    ),
    "variables": (
        "query($id: ID!, $n: Int) { person(id: $id) { name } people(first: $n) { id } }",
        {"id": "p2", "n": 2},
    ),
    "variable defaults": (
        'query($id: ID! = "p3", $n: Int = 1) { person(id: $id) { name } people(first: $n) { id } }',
        None,
    ),
    "skip and include with variables": (
        'query($yes: Boolean!, $no: Boolean!) { person(id: "p1") { name @include(if: $yes) '
        "id @skip(if: $yes) books @include(if: $no) { title } friends @skip(if: $no) { name } } }",
        {"yes": True, "no": False},
    ),
    "skip on a fragment that jumps": (
        'query($skip: Boolean!) { person(id: "p1") { name ... @skip(if: $skip) { books { title } } '
        "...F @include(if: $skip) } } fragment F on Person { books { year } }",
        {"skip": True},
    ),
    "include on a root field": (
        'query($on: Boolean = false) { a: person(id: "p1") @include(if: $on) { name } '
        'b: book(isbn: "b1") { title } }',
        None,
    ),
    "error on a nullable field": ("{ people { id email } }", None),
    "error in a jump at depth": ("{ books { author { name email } } }", None),
    "null in non-null field bubbles to nullable parent": (
        '{ person(id: "p2") { name nickname } }',
        None,
    ),
    "null in non-null list item bubbles through the list": (
        "{ people { name nickname } }",
        None,
    ),
    "null from a jump bubbles through lists": ("{ books { title reviews { body stars } } }", None),
    "missing entity is null": (
        '{ person(id: "nobody") { name } book(isbn: "zz") { title } }',
        None,
    ),
    "entity unknown to its owner nulls a non-null field without errors": (
        '{ book(isbn: "b4") { title author { name } } books { author { id name } } }',
        None,
    ),
    "authorization forwarded": ("{ me { name seenAuthorization books { title } } }", None),
    "deep mix": (
        '{ person(id: "p1") { friends { name books { title shippingCost reviews { body '
        "copyReviewed { code condition } } } } } }",
        None,
    ),
    "introspection of a type": (
        '{ __type(name: "Book") { name fields { name type { name kind ofType { name } } } } }',
        None,
    ),
    "introspection of the schema": (
        "{ __schema { queryType { name } types { name kind } directives { name } } }",
        None,
    ),
    "introspection next to subgraph fields": (
        '{ __typename u: __type(name: "SearchResult") { possibleTypes { name } } '
        'person(id: "p1") { name } }',
        None,
    ),
    "mutation then query fields": (
        'mutation { rename(id: "p2", name: "Grace") { name books { title } } '
        'again: rename(id: "p2", name: "Grace") { id } }',
        None,
    ),
    "mutation error": ('mutation { rename(id: "nobody", name: "X") { name } }', None),
}


@pytest.mark.parametrize("query,variables", CASES.values(), ids=list(CASES))
async def test_same_answers_as_apollo(
    gateways: GatewayPair, query: str, variables: dict[str, Any] | None
) -> None:
    await gateways.assert_same(query, variables, headers=AS_ADA)


async def test_authorization_reaches_every_subgraph(gateways: GatewayPair) -> None:
    answer = await gateways.assert_same("{ me { seenAuthorization } }", headers=AS_ADA)
    assert answer.data == {"me": {"seenAuthorization": "Bearer p1"}}


INVALID = {
    "unknown field": '{ person(id: "p1") { shoeSize } }',
    "inaccessible field": '{ book(isbn: "b1") { internalCode } }',
    "missing variable": "query($id: ID!) { person(id: $id) { name } }",
    "syntax error": "{ person(id: ",
}


@pytest.mark.parametrize("query", INVALID.values(), ids=list(INVALID))
async def test_invalid_operations_are_refused_like_apollo(
    gateways: GatewayPair, query: str
) -> None:
    ours, apollo = await gateways.both(query)
    assert ours.status == apollo.status == 400
    assert ours.data is None
    assert len(ours.body["errors"]) == len(apollo.body["errors"])
    codes = [e["extensions"]["code"] for e in (*ours.body["errors"], *apollo.body["errors"])]
    assert len(set(codes)) == 1, codes
