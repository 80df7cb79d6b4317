import strawberry

from cbkit.errors import NotFound
from cbkit.graphql import subgraph_extensions


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
