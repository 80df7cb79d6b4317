"""The gateway over HTTP, as a client and the subgraphs see it."""

from __future__ import annotations

import httpx
import orjson
import pytest

from gateway.app import create_app
from gateway.edge.config import subgraph_urls_from_env
from gateway.tests.conftest import ToySubgraphs
from gateway.tests.handwritten import SUPERGRAPH
from gateway.tests.harness import GatewayPair, serve_asgi
from gateway.tests.log_lines import logged

FOUR_SUBGRAPHS = "{ me { books { shippingCost copies { condition } } } }"
"""people (me), books (books), inventory (weight, copies) and reviews (shippingCost)."""


async def test_get_serves_queries(gateways: GatewayPair) -> None:
    response = await gateways.client.get(
        gateways.ours,
        params={
            "query": "query($id: ID!) { person(id: $id) { name } }",
            "variables": '{"id": "p1"}',
        },
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"person": {"name": "Ada"}}}


async def test_get_refuses_mutations(gateways: GatewayPair) -> None:
    response = await gateways.client.get(
        gateways.ours, params={"query": 'mutation { rename(id: "p1", name: "Ada") { id } }'}
    )
    assert response.status_code == 405
    assert "POST" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[]", b'{"query": ""}', b'{"query": "{ people { id } }", "variables": 3}'],
)
async def test_malformed_requests_get_400(gateways: GatewayPair, body: bytes) -> None:
    response = await gateways.client.post(gateways.ours, content=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


async def test_variables_of_the_wrong_type_get_400(gateways: GatewayPair) -> None:
    response = await gateways.client.post(
        gateways.ours,
        json={"query": "query($n: Int) { people(first: $n) { id } }", "variables": {"n": "x"}},
    )
    assert response.status_code == 400
    assert "$n" in response.json()["errors"][0]["message"]


async def test_healthz(gateways: GatewayPair) -> None:
    response = await gateways.client.get(gateways.ours.replace("/graphql", "/healthz"))
    assert response.status_code == 200


async def test_one_deduplicated_entities_request_per_subgraph_and_step(
    gateways: GatewayPair, toys: ToySubgraphs
) -> None:
    toys.forget_requests()
    response = await gateways.client.post(
        gateways.ours,
        json={"query": "{ people { friends { books { isbn } } } }"},
        headers={"authorization": "Bearer p2"},
    )
    assert response.status_code == 200 and "errors" not in response.json()
    (books_request,) = toys.apps["books"].requests
    (representations,) = [
        v for k, v in books_request.body["variables"].items() if isinstance(v, list)
    ]
    assert sorted(r["id"] for r in representations) == ["p1", "p2", "p3"]
    assert len(toys.apps["people"].requests) == 1


async def test_authorization_is_forwarded_on_every_fetch(
    gateways: GatewayPair, toys: ToySubgraphs
) -> None:
    toys.forget_requests()
    await gateways.client.post(
        gateways.ours,
        json={"query": FOUR_SUBGRAPHS},
        headers={"authorization": "Bearer p1"},
    )
    seen = [r.authorization for app in toys.apps.values() for r in app.requests]
    assert len(seen) == 4
    assert set(seen) == {"Bearer p1"}


@pytest.mark.parametrize("sent", ["trace-42", None])
async def test_the_request_id_is_passed_on_to_every_fetch_and_answered(
    gateways: GatewayPair, toys: ToySubgraphs, sent: str | None
) -> None:
    toys.forget_requests()
    response = await gateways.client.post(
        gateways.ours,
        json={"query": FOUR_SUBGRAPHS},
        headers={"authorization": "Bearer p1", **({"x-request-id": sent} if sent else {})},
    )
    request_id = response.headers["x-request-id"]
    assert request_id == sent or (sent is None and len(request_id) == 32)
    seen = [r.headers.get("x-request-id") for app in toys.apps.values() for r in app.requests]
    assert seen == [request_id] * 4


async def test_each_fetch_says_where_the_request_came_from(
    gateways: GatewayPair, toys: ToySubgraphs
) -> None:
    toys.forget_requests()
    await gateways.client.post(
        gateways.ours, json={"query": FOUR_SUBGRAPHS}, headers={"authorization": "Bearer p1"}
    )
    seen = [r.headers.get("x-forwarded-for") for app in toys.apps.values() for r in app.requests]
    assert seen == ["127.0.0.1"] * 4


def test_subgraph_urls_can_be_overridden_by_environment() -> None:
    environ = {"CB_SUBGRAPH_URL_ACCOUNTS": "http://10.0.0.1:4001/graphql", "OTHER": "x"}
    assert subgraph_urls_from_env(environ) == {"accounts": "http://10.0.0.1:4001/graphql"}
    app = create_app(SUPERGRAPH, {"b": "http://elsewhere/graphql"})
    assert app.state.gateway.subgraph_urls["b"] == "http://elsewhere/graphql"
    with pytest.raises(ValueError, match="nope"):
        create_app(SUPERGRAPH, {"nope": "http://x"})


async def test_unreachable_subgraph_is_an_error_without_its_address_and_a_log_line_with_it(
    toys: ToySubgraphs,
) -> None:
    app = create_app(toys.supergraph, {"books": "http://127.0.0.1:9/graphql"})
    with logged("gateway") as lines:
        async with serve_asgi(app) as url, httpx.AsyncClient() as client:
            response = await client.post(
                f"{url}/graphql",
                json={"query": '{ person(id: "p1") { name } book(isbn: "b1") { title } }'},
                headers={"x-request-id": "unreachable-1"},
            )
    (line,) = [orjson.loads(line) for line in lines]
    assert (line["level"], line["request_id"]) == ("warning", "unreachable-1")
    assert "'books'" in line["message"] and "127.0.0.1:9" in line["message"]
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"person": {"name": "Ada"}, "book": None}
    assert body["errors"] == [
        {
            "message": "a service is unavailable (request id unreachable-1)",
            "extensions": {
                "code": "SERVICE_UNAVAILABLE",
                "serviceName": "books",
                "requestId": "unreachable-1",
            },
        }
    ]
