"""Bounds at the edge, on the toy subgraphs: the request body, persisted queries stored
only once accepted, introspection counted and answered off the event loop (and off in
production), the cost of an operation, the settings that set them."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from graphql import get_introspection_query

import gateway.introspection
from gateway.app import create_app
from gateway.edge.config import ConfigError, EdgeConfig, load_gateway_settings
from gateway.limits import QueryLimits
from gateway.tests.conftest import ToySubgraphs
from gateway.tests.harness import serve_asgi
from gateway.tests.test_did import production_issuer

LIMITS = QueryLimits(max_depth=4, max_fields=20, max_bytes=2000, max_cost=200)
BODY_LIMIT = 4096


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def bounded(toys: ToySubgraphs) -> AsyncIterator[str]:
    """Our gateway over the toys with small bounds; its /graphql URL."""
    config = EdgeConfig(limits=LIMITS, max_body_bytes=BODY_LIMIT)
    async with serve_asgi(create_app(toys.supergraph, config=config)) as url:
        yield f"{url}/graphql"


def nothing_asked(toys: ToySubgraphs) -> bool:
    return not [request for app in toys.apps.values() for request in app.requests]


def refusal(response: httpx.Response) -> tuple[int, str, str]:
    (error,) = response.json()["errors"]
    return response.status_code, error["extensions"]["code"], error["message"]


def padded(size: int) -> bytes:
    """A JSON request of `size` bytes asking `{ people { id } }`."""
    head, tail = b'{"query": "{ people { id } }"', b"}"
    return head + b" " * (size - len(head) - len(tail)) + tail


async def chunks(body: bytes, size: int = 1000) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


@pytest.mark.parametrize("framing", ["content-length", "streamed"])
async def test_a_body_past_the_bound_is_refused_with_413(
    bounded: str, toys: ToySubgraphs, framing: str
) -> None:
    body = padded(BODY_LIMIT + 1)
    content = body if framing == "content-length" else chunks(body)
    toys.forget_requests()
    async with httpx.AsyncClient() as client:
        response = await client.post(
            bounded, content=content, headers={"content-type": "application/json"}
        )
    status, code, message = refusal(response)
    assert (status, code) == (413, "PAYLOAD_TOO_LARGE")
    assert f"larger than {BODY_LIMIT} bytes" in message
    assert nothing_asked(toys)


@pytest.mark.parametrize("framing", ["content-length", "streamed"])
async def test_a_body_within_the_bound_is_answered(bounded: str, framing: str) -> None:
    body = padded(BODY_LIMIT)
    content = body if framing == "content-length" else chunks(body)
    async with httpx.AsyncClient() as client:
        response = await client.post(
            bounded, content=content, headers={"content-type": "application/json"}
        )
    assert response.status_code == 200
    assert response.json()["data"]["people"]


def persisted(query: str) -> dict[str, Any]:
    digest = hashlib.sha256(query.encode()).hexdigest()
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ people { friends { friends { friends { id } } } } }", "QUERY_TOO_DEEP"),
        ("{ people { id } nobody }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ people { id " + " " * 2000 + "} }", "QUERY_TOO_LARGE"),
        (
            "mutation { "
            + " ".join(f'r{i}: rename(id: "p1", name: "Ada") {{ id }}' for i in (1, 2))
            + " }",
            "",
        ),
    ],
    ids=["too deep", "invalid", "too long", "too costly"],
)
async def test_a_persisted_query_is_stored_only_once_it_passed_the_checks(
    bounded: str, query: str, code: str
) -> None:
    extensions = persisted(query)
    async with httpx.AsyncClient() as client:
        sent = await client.post(bounded, json={"query": query, "extensions": extensions})
        again = await client.post(bounded, json={"extensions": extensions})
    assert sent.status_code == 400
    assert sent.json()["errors"][0]["extensions"]["code"] == (code or "QUERY_TOO_COSTLY")
    assert [e["message"] for e in again.json()["errors"]] == ["PersistedQueryNotFound"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ __schema { types { fields { type { name } } } } }", "QUERY_TOO_DEEP"),
        ("{ __schema { types { " + " ".join(f"n{i}: name" for i in range(19)) + " } } }", ""),
    ],
    ids=["deep", "wide"],
)
async def test_introspection_counts_in_the_depth_and_field_limits(
    bounded: str, query: str, code: str
) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(bounded, json={"query": query})
    status, found, _ = refusal(response)
    assert (status, found) == (400, code or "QUERY_TOO_LARGE")


async def test_500_aliased_mutations_cost_more_than_the_default_allows(
    toys: ToySubgraphs,
) -> None:
    renames = " ".join(f'r{i}: rename(id: "p1", name: "Ada") {{ id }}' for i in range(500))
    toys.forget_requests()
    async with serve_asgi(create_app(toys.supergraph)) as url, httpx.AsyncClient() as client:
        response = await client.post(f"{url}/graphql", json={"query": f"mutation {{ {renames} }}"})
    status, code, message = refusal(response)
    assert (status, code) == (400, "QUERY_TOO_COSTLY")
    assert "costs more than 2000" in message and "each mutation 100" in message
    assert nothing_asked(toys)


async def test_the_standard_introspection_query_passes_the_default_limits(
    toys: ToySubgraphs,
) -> None:
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    async with serve_asgi(create_app(toys.supergraph)) as url, httpx.AsyncClient() as client:
        response = await client.post(f"{url}/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    assert "errors" not in response.json()
    assert {t["name"] for t in response.json()["data"]["__schema"]["types"]} >= {"Person"}


async def test_introspection_is_answered_off_the_event_loop_and_remembered(
    bounded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    execute = gateway.introspection.execute_sync

    def recording(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        return execute(*args, **kwargs)

    monkeypatch.setattr(gateway.introspection, "execute_sync", recording)
    query = "query($n: String!) { __type(name: $n) { name kind } people { id } }"
    async with httpx.AsyncClient() as client:
        answers = [
            await client.post(bounded, json={"query": query, "variables": {"n": name}})
            for name in ("Person", "Person", "Book")
        ]
    assert [a.json()["data"]["__type"]["name"] for a in answers] == ["Person", "Person", "Book"]
    assert len(threads) == 2  # the second `Person` was remembered
    assert threading.main_thread() not in threads


async def test_introspection_and_graphiql_are_off_when_switched_off(toys: ToySubgraphs) -> None:
    app = create_app(toys.supergraph, config=EdgeConfig(introspection=False))
    async with serve_asgi(app) as url, httpx.AsyncClient() as client:
        schema = await client.post(
            f"{url}/graphql", json={"query": "{ __schema { types { name } } }"}
        )
        named = await client.post(
            f"{url}/graphql", json={"query": '{ __type(name: "Person") { name } }'}
        )
        typename = await client.post(
            f"{url}/graphql", json={"query": "{ __typename people { id } }"}
        )
        browser = await client.get(f"{url}/graphql", headers={"accept": "text/html"})
        asset = await client.get(f"{url}/graphiql/graphiql.min.js")
    for refused in (schema, named):
        status, code, message = refusal(refused)
        assert (status, code) == (400, "GRAPHQL_VALIDATION_FAILED")
        assert "introspection is not allowed" in message
    assert typename.json()["data"]["__typename"] == "Query"
    assert browser.status_code == 400 and "text/html" not in browser.headers["content-type"]
    assert asset.status_code == 404


@pytest.mark.parametrize(
    ("environ", "introspection"),
    [
        ({}, True),
        ({"CB_ENV": "test"}, True),
        ({"CB_ENV": "production", **production_issuer()}, False),
        ({"CB_ENV": "production", "CB_GATEWAY_INTROSPECTION": "on", **production_issuer()}, True),
        ({"CB_ENV": "development", "CB_GATEWAY_INTROSPECTION": "off"}, False),
    ],
)
def test_introspection_is_off_in_production_unless_switched_on(
    environ: dict[str, str], introspection: bool
) -> None:
    settings = load_gateway_settings({"CB_JWKS_URL": "http://127.0.0.1:9/jwks.json", **environ})
    assert settings.edge.introspection is introspection


def test_the_edge_bounds_have_defaults_and_are_read_from_the_environment() -> None:
    keys = {"CB_JWKS_URL": "http://127.0.0.1:9/jwks.json"}
    default = load_gateway_settings(keys).edge
    assert (default.max_body_bytes, default.max_subscriptions_per_socket) == (1024 * 1024, 20)
    assert (default.limits.max_depth, default.limits.max_cost) == (15, 2000)
    configured = load_gateway_settings(
        {
            **keys,
            "CB_GATEWAY_MAX_BODY_BYTES": "2048",
            "CB_GATEWAY_MAX_SUBSCRIPTIONS_PER_SOCKET": "3",
            "CB_GATEWAY_MAX_COST": "500",
        }
    ).edge
    assert (configured.max_body_bytes, configured.max_subscriptions_per_socket) == (2048, 3)
    assert configured.limits.max_cost == 500


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CB_GATEWAY_MAX_BODY_BYTES", "1MiB"),
        ("CB_GATEWAY_MAX_SUBSCRIPTIONS_PER_SOCKET", "0"),
        ("CB_GATEWAY_MAX_COST", "-1"),
        ("CB_GATEWAY_INTROSPECTION", "yes"),
        ("CB_ENV", "staging"),
    ],
)
def test_a_bad_edge_setting_is_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_gateway_settings({"CB_JWKS_URL": "http://127.0.0.1:9/jwks.json", name: value})
