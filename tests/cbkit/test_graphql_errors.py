from collections.abc import AsyncGenerator

import strawberry

from cbkit.errors import Forbidden, NotFound
from cbkit.graphql import subgraph_extensions, subgraph_schema


@strawberry.type
class Query:
    @strawberry.field
    def greet(self, name: str) -> str:
        if name == "nobody":
            raise NotFound("no such person", field="name")
        if name == "bug":
            raise ZeroDivisionError("secret internals")
        return f"hello {name}"


schema = strawberry.Schema(query=Query, extensions=subgraph_extensions())


async def test_a_refusal_keeps_its_message_and_gains_its_code_and_field():
    result = await schema.execute('{ greet(name: "nobody") }')
    [error] = result.errors or []
    assert error.message == "no such person"
    assert error.extensions == {"code": "NOT_FOUND", "field": "name"}


async def test_an_unexpected_error_is_masked():
    result = await schema.execute('{ greet(name: "bug") }')
    [error] = result.errors or []
    assert error.message == "internal error"
    assert "secret" not in str(error.extensions)


async def test_a_missing_variable_is_explained_not_masked():
    result = await schema.execute("query($n: String!) { greet(name: $n) }", variable_values={})
    [error] = result.errors or []
    assert "$n" in error.message
    assert error.message != "internal error"


async def test_the_same_operation_twice_answers_the_same():
    for _ in range(2):
        result = await schema.execute('{ greet(name: "Li") }')
        assert result.data == {"greet": "hello Li"}


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def feed(self, start: int) -> AsyncGenerator[int, None]:
        if start < 0:
            raise Forbidden("you may not follow this feed", field="start")
        yield start
        raise ZeroDivisionError("secret internals")


subscribing = subgraph_schema(query=Query, subscription=Subscription)


async def events(query: str) -> list[tuple[object, list[dict[str, object] | None]]]:
    results = await subscribing.subscribe(query)
    assert isinstance(results, AsyncGenerator)
    return [
        (r.data, [e.formatted.get("extensions") for e in r.errors or []]) async for r in results
    ]


async def test_a_subscription_shows_refusals_and_masks_errors_as_queries_do():
    assert await events("subscription { feed(start: -1) }") == [
        (None, [{"code": "FORBIDDEN", "field": "start"}])
    ]
    assert await events("subscription { feed(start: 1) }") == [
        ({"feed": 1}, []),
        (None, [{"code": "INTERNAL_SERVER_ERROR"}]),
    ]


@strawberry.federation.type(keys=["id"])
class Person:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "Person":
        return cls(id=id)


async def test_two_aliases_of_entities_may_share_their_representations():
    federated = subgraph_schema(Query, types=[Person])
    query = """query($r: [_Any!]!) { a: _entities(representations: $r) { ... on Person { id } }
      b: _entities(representations: $r) { ... on Person { id } } }"""
    result = await federated.execute(query, {"r": [{"__typename": "Person", "id": "1"}]})
    assert result.errors is None
    assert result.data == {"a": [{"id": "1"}], "b": [{"id": "1"}]}
