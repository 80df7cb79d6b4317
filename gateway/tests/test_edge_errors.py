"""What the edge tells clients and what it keeps, on the toy subgraphs: errors without
internal addresses or exception text (those go to the log, under the request id the
client sees), metrics labelled by route template, a key taken out of the key set no
longer trusted for tokens already verified."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import orjson
import pytest

from cbkit.auth import KeySet, Role
from cbkit.testing import TestStack
from gateway.app import create_app
from gateway.edge.config import EdgeConfig
from gateway.service import Gateway
from gateway.tests.conftest import ToySubgraphs
from gateway.tests.harness import serve_asgi
from gateway.tests.log_lines import logged
from gateway.tests.removable_keys import RemovableKeys

DOWN = "http://127.0.0.1:9/graphql"


async def test_metrics_are_labelled_by_route_template_never_by_path(toys: ToySubgraphs) -> None:
    app = create_app(toys.supergraph, config=EdgeConfig(evidence_subgraph="people"))
    ids = [uuid.uuid4().hex for _ in range(3)]
    async with serve_asgi(app) as url, httpx.AsyncClient() as client:
        for evidence_id in ids:
            await client.get(f"{url}/evidence/{evidence_id}")
            await client.get(f"{url}/nowhere/{evidence_id}")
        metrics = (await client.get(f"{url}/metrics")).text
    assert set(re.findall(r'route="([^"]*)"', metrics)) == {
        "/graphql",
        "/evidence",
        "/evidence/{id}",
        "/me/export",
    }
    assert 'cb_gateway_requests_total{route="/evidence/{id}",status="200"} 3.0' in metrics
    assert not [evidence_id for evidence_id in ids if evidence_id in metrics]


async def test_an_evidence_service_that_is_down_is_reported_without_its_address(
    toys: ToySubgraphs,
) -> None:
    config = EdgeConfig(evidence_subgraph="people")
    app = create_app(toys.supergraph, {"people": DOWN}, config)
    with logged("gateway") as lines:
        async with serve_asgi(app) as url, httpx.AsyncClient() as client:
            response = await client.get(f"{url}/evidence/e-1", headers={"x-request-id": "ev-down"})
    assert response.status_code == 502
    assert response.json() == {
        "error": "a service is unavailable (request id ev-down)",
        "code": "BAD_GATEWAY",
        "requestId": "ev-down",
    }
    (line,) = [orjson.loads(line) for line in lines]
    assert line["request_id"] == "ev-down" and "127.0.0.1" in line["message"]


async def test_a_key_server_out_of_reach_is_not_named_to_the_client(
    toys: ToySubgraphs, stack: TestStack
) -> None:
    config = EdgeConfig(keys=KeySet(jwks_url="http://127.0.0.1:9/.well-known/jwks.json"))
    token = stack.token("p1", Role.LEARNER)
    async with (
        serve_asgi(create_app(toys.supergraph, config=config)) as url,
        httpx.AsyncClient() as client,
    ):
        response = await client.post(
            f"{url}/graphql",
            json={"query": "{ people { id } }"},
            headers={"authorization": f"Bearer {token}"},
        )
    assert response.status_code == 401
    (error,) = response.json()["errors"]
    assert error["message"] == "Unauthenticated: cannot fetch signing keys"


async def test_an_unexpected_failure_answers_500_with_the_request_id_only(
    toys: ToySubgraphs, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("cannot reach 10.0.0.7:5432")

    monkeypatch.setattr(Gateway, "execute", broken)
    with logged("gateway") as lines:
        async with serve_asgi(create_app(toys.supergraph)) as url, httpx.AsyncClient() as client:
            response = await client.post(
                f"{url}/graphql",
                json={"query": "{ people { id } }"},
                headers={"x-request-id": "broken-1"},
            )
    assert response.status_code == 500
    assert response.json() == {
        "errors": [
            {
                "message": "internal error (request id broken-1)",
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
        ]
    }
    (line,) = [orjson.loads(line) for line in lines]
    assert line["request_id"] == "broken-1" and "10.0.0.7:5432" in line["error"]


async def test_a_token_whose_key_left_the_key_set_is_no_longer_trusted(
    toys: ToySubgraphs, stack: TestStack
) -> None:
    keys = RemovableKeys.of(stack)
    token = stack.token("p1", Role.LEARNER)
    headers = {"authorization": f"Bearer {token}"}
    query = {"query": '{ person(id: "p1") { name } }'}
    app = create_app(toys.supergraph, config=EdgeConfig(keys=keys))
    async with serve_asgi(app) as url, httpx.AsyncClient() as client:
        trusted = await client.post(f"{url}/graphql", json=query, headers=headers)
        keys.remove(token)
        refused = await client.post(f"{url}/graphql", json=query, headers=headers)
    assert trusted.json() == {"data": {"person": {"name": "Ada"}}}
    assert refused.status_code == 401
    (error,) = refused.json()["errors"]
    assert error["message"] == "Unauthenticated: token signed by an unknown key"
