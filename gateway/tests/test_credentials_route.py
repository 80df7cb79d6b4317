"""`GET /credentials/{rest}` passed through to the credentials subgraph's service
(CB_CREDENTIALS_SUBGRAPH, conversion unless configured), over a toy upstream: its status
and body as it answers them, a 502 JSON refusal when it is down, and no way out of
/credentials on the service. A JSON-typed argument goes through the planner whole, as a
variable and as an inline object literal, up to the body limit."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.scalars import JSON

from cbkit.testing import TestStack
from gateway.app import create_app
from gateway.compose import SubgraphSource, compose_supergraph
from gateway.edge.config import ConfigError, EdgeConfig, load_gateway_settings
from gateway.tests.conftest import RecordingApp, ToySubgraphs
from gateway.tests.harness import serve_asgi

CREDENTIAL = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:c-1"}


@strawberry.type
class Query:
    @strawberry.field
    def echo(self, value: JSON) -> JSON:
        """The argument as the subgraph received it."""
        return value


async def credentials(request: Request) -> Response:
    rest = request.path_params["rest"]
    if rest == "c-1":
        return JSONResponse(CREDENTIAL, media_type="application/vc+ld+json")
    if rest == "status/3":
        return JSONResponse({"list": 3, "query": dict(request.query_params)})
    return JSONResponse({"error": f"no credential {rest}", "code": "NOT_FOUND"}, status_code=404)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def upstream() -> AsyncIterator[tuple[str, RecordingApp]]:
    """A toy conversion service: /graphql with a JSON argument, /credentials/…; the
    supergraph composed of it alone."""
    schema = strawberry.federation.Schema(query=Query)
    app = RecordingApp(
        Starlette(
            routes=[
                Route("/credentials/{rest:path}", credentials),
                Route("/graphql", GraphQL(schema), methods=["GET", "POST"]),
            ]
        )
    )
    async with serve_asgi(app) as url:
        source = SubgraphSource("conversion", f"{url}/graphql", schema.as_str())
        yield compose_supergraph([source]), app


@contextlib.asynccontextmanager
async def gateway(
    supergraph: str, config: EdgeConfig, urls: dict[str, str] | None = None
) -> AsyncIterator[tuple[str, httpx.AsyncClient]]:
    async with (
        serve_asgi(create_app(supergraph, urls, config)) as url,
        httpx.AsyncClient(base_url=url) as client,
    ):
        yield url, client


CONFIG = EdgeConfig(credentials_subgraph="conversion")


@pytest.mark.asyncio(loop_scope="module")
async def test_a_credential_comes_back_as_the_service_answers_it(upstream) -> None:
    supergraph, app = upstream
    async with gateway(supergraph, CONFIG) as (_, client):
        found = await client.get("/credentials/c-1", headers={"x-request-id": "share-1"})
        status_list = await client.get("/credentials/status/3?fresh=1")
        missing = await client.get("/credentials/nobody")
    assert found.status_code == 200
    assert found.headers["content-type"] == "application/vc+ld+json"
    assert found.json() == CREDENTIAL
    assert (status_list.status_code, status_list.json()) == (
        200,
        {"list": 3, "query": {"fresh": "1"}},
    )
    assert missing.status_code == 404
    assert missing.json() == {"error": "no credential nobody", "code": "NOT_FOUND"}
    assert [r.path for r in app.requests[-3:]] == [
        "/credentials/c-1",
        "/credentials/status/3",
        "/credentials/nobody",
    ]
    assert app.requests[-3].headers["x-request-id"] == "share-1"


@pytest.mark.asyncio(loop_scope="module")
async def test_no_path_leaves_credentials_on_the_service(upstream) -> None:
    supergraph, app = upstream
    app.requests.clear()
    async with gateway(supergraph, CONFIG) as (url, client):
        answers = [
            await client.get(f"{url}/credentials/%2E%2E/graphql"),
            await client.get(f"{url}/credentials/status/%2E%2E%2F%2E%2E%2Fgraphql"),
            await client.get(f"{url}/credentials/a//b"),
        ]
    assert [a.status_code for a in answers] == [404, 404, 404]
    assert all(r.path.startswith("/credentials/") for r in app.requests), app.requests


@pytest.mark.asyncio(loop_scope="module")
async def test_a_credentials_service_that_is_down_is_a_502(upstream) -> None:
    supergraph, _ = upstream
    down = {"conversion": "http://127.0.0.1:9/graphql"}
    async with gateway(supergraph, CONFIG, down) as (_, client):
        answer = await client.get("/credentials/c-1", headers={"x-request-id": "cred-down"})
    assert answer.status_code == 502
    assert answer.json() == {
        "error": "a service is unavailable (request id cred-down)",
        "code": "BAD_GATEWAY",
        "requestId": "cred-down",
    }


def test_the_credentials_subgraph_is_conversion_unless_configured(
    stack: TestStack, toys: ToySubgraphs
) -> None:
    keys = {"CB_JWT_PUBLIC_KEY_FILE": str(stack.jwks_file)}
    assert load_gateway_settings(keys).edge.credentials_subgraph == "conversion"
    configured = load_gateway_settings({**keys, "CB_CREDENTIALS_SUBGRAPH": "people"})
    assert configured.edge.credentials_subgraph == "people"
    with pytest.raises(ConfigError, match=r"CB_CREDENTIALS_SUBGRAPH names no subgraph .*'vc'"):
        create_app(toys.supergraph, config=EdgeConfig(credentials_subgraph="vc"))


ECHO = "query Echo($value: JSON!) { echo(value: $value) }"


@pytest.mark.asyncio(loop_scope="module")
async def test_a_json_argument_goes_through_whole_as_a_variable_and_a_literal(upstream) -> None:
    supergraph, _ = upstream
    value: dict[str, Any] = {"a": [1, "x", {"b": None}], "c": {"d": [True, 2.5, '引号"']}}
    async with gateway(supergraph, EdgeConfig()) as (_, client):
        as_variable = await client.post(
            "/graphql", json={"query": ECHO, "variables": {"value": value}}
        )
        literal = '{ echo(value: {a: [1, "x", {b: null}], c: {d: [true, 2.5, "引号\\""]}}) }'
        as_literal = await client.post("/graphql", json={"query": literal})
    assert as_variable.json() == {"data": {"echo": value}}
    assert as_literal.json() == {"data": {"echo": value}}


@pytest.mark.asyncio(loop_scope="module")
async def test_a_one_megabyte_json_variable_fits_the_body_limit(upstream) -> None:
    """CB_GATEWAY_MAX_BODY_BYTES is 1 MiB (1,048,576 bytes) by default: a credential of
    1,000,000 bytes (what verifyCredential takes) fits with its query; a body over the
    limit is refused by the gateway itself."""
    supergraph, _ = upstream
    one_megabyte = {"padding": "x" * (1_000_000 - len('{"padding":""}'))}
    assert len(json.dumps(one_megabyte, separators=(",", ":"))) == 1_000_000
    body = json.dumps({"query": ECHO, "variables": {"value": one_megabyte}})
    assert EdgeConfig().max_body_bytes == 1024 * 1024 > len(body)
    async with gateway(supergraph, EdgeConfig()) as (_, client):
        fits = await client.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
        over = {"value": {"padding": "x" * (1024 * 1024)}}
        refused = await client.post("/graphql", json={"query": ECHO, "variables": over})
    assert fits.json() == {"data": {"echo": one_megabyte}}
    assert refused.status_code == 413
