from collections.abc import AsyncIterator
from typing import Any, cast

import httpx
import pytest_asyncio
from graphql import (
    GraphQLSchema,
    IntrospectionQuery,
    build_client_schema,
    get_introspection_query,
)

from cbkit.testing import RunningSystem, TestStack

OPEN_ACCOUNT = """mutation { openAccount(email: "fuzz.learner@example.org",
  password: "a-long-fuzzing-password", displayName: "Fuzz Learner") { token } }"""
SIGN_IN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def fuzzed_system(stack: TestStack) -> AsyncIterator[RunningSystem]:
    """The whole system as `running_system` starts it, but with databases and queues of
    its own: fuzzed admin mutations (caps, catalog) must not change what other tests see."""
    system = RunningSystem(stack, namespace="fuzz")
    try:
        await system.start()
        yield system
    finally:
        await system.stop()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def api_schema(fuzzed_system: RunningSystem) -> GraphQLSchema:
    """The schema clients see, as the running gateway tells it."""
    data = await ask(fuzzed_system, get_introspection_query())
    return build_client_schema(cast(IntrospectionQuery, data))


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def tokens(fuzzed_system: RunningSystem) -> dict[str, str | None]:
    """A bearer token per kind of caller, as the system hands them out: a learner who
    opened an account, and the admin signed in."""
    env = fuzzed_system.env
    opened = await ask(fuzzed_system, OPEN_ACCOUNT)
    admin = {"e": env["CB_ADMIN_EMAIL"], "p": env["CB_ADMIN_PASSWORD"]}
    signed_in = await ask(fuzzed_system, SIGN_IN, admin)
    return {
        "anonymous": None,
        "learner": opened["openAccount"]["token"],
        "admin": signed_in["login"]["token"],
    }


async def ask(
    system: RunningSystem, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(system.gateway, json={"query": query, "variables": variables})
    answer = response.json()
    assert "errors" not in answer, answer
    data: dict[str, Any] = answer["data"]
    return data
