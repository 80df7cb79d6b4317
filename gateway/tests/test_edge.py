"""The edge on the toy subgraphs (in-process): tokens refused before any subgraph is
asked, persisted queries, bounds on queries, CORS, health, metrics, settings."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import orjson
import pytest
import pytest_asyncio

from cbkit.auth import KeySet, Role
from cbkit.testing import TestStack
from gateway.app import create_app
from gateway.edge.config import ConfigError, EdgeConfig, load_gateway_settings
from gateway.limits import QueryLimits
from gateway.tests.conftest import ToySubgraphs
from gateway.tests.harness import serve_asgi

ORIGIN = "https://learner.creditbank.example"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def edge(toys: ToySubgraphs, stack: TestStack) -> AsyncIterator[str]:
    """Our gateway over the toys, verifying tokens with the test stack's keys."""
    config = EdgeConfig(
        keys=KeySet.from_jwks(orjson.loads(stack.jwks_file.read_bytes())),
        cors_origins=(ORIGIN,),
        limits=QueryLimits(max_depth=4, max_fields=20, max_bytes=2000),
    )
    async with serve_asgi(create_app(toys.supergraph, config=config)) as url:
        yield url


async def post(url: str, body: object, headers: dict[str, str] | None = None) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(f"{url}/graphql", json=body, headers=headers or {})


def tampered(token: str) -> str:
    head, claims, signature = token.split(".")
    flipped = ("A" if signature[5] != "A" else "B").join((signature[:5], signature[6:]))
    return f"{head}.{claims}.{flipped}"


@pytest.mark.parametrize("kind", ["expired", "tampered", "garbage", "not bearer"])
async def test_bad_tokens_are_refused_with_401_before_any_subgraph_is_asked(
    edge: str, toys: ToySubgraphs, stack: TestStack, kind: str
) -> None:
    token = stack.token("p1", Role.LEARNER, expires_in=timedelta(minutes=5))
    authorization = {
        "expired": f"Bearer {stack.token('p1', Role.LEARNER, expires_in=timedelta(minutes=-1))}",
        "tampered": f"Bearer {tampered(token)}",
        "garbage": "Bearer not-a-token",
        "not bearer": f"Basic {token}",
    }[kind]
    toys.forget_requests()
    response = await post(
        edge, {"query": '{ person(id: "p1") { name } }'}, {"authorization": authorization}
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "data" not in response.json()
    assert [r for app in toys.apps.values() for r in app.requests] == []


async def test_a_valid_token_is_forwarded_and_anonymous_requests_pass(
    edge: str, toys: ToySubgraphs, stack: TestStack
) -> None:
    authorization = f"Bearer {stack.token('p1', Role.LEARNER)}"
    toys.forget_requests()
    query = {"query": '{ person(id: "p1") { name } }'}
    signed = await post(edge, query, {"authorization": authorization})
    assert signed.json() == {"data": {"person": {"name": "Ada"}}}
    assert [r.authorization for r in toys.apps["people"].requests] == [authorization]
    anonymous = await post(edge, {"query": '{ person(id: "p2") { name } }'})
    assert anonymous.json() == {"data": {"person": {"name": "Grace"}}}
    assert toys.apps["people"].requests[-1].authorization is None


async def test_persisted_query_is_asked_for_then_remembered(edge: str) -> None:
    query = '{ person(id: "p3") { name } }'
    digest = hashlib.sha256(query.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    unknown = await post(edge, {"extensions": extensions})
    assert unknown.status_code == 200
    (error,) = unknown.json()["errors"]
    assert error["message"] == "PersistedQueryNotFound"
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    registered = await post(edge, {"query": query, "extensions": extensions})
    assert registered.json() == {"data": {"person": {"name": "Linus"}}}
    async with httpx.AsyncClient() as client:
        by_hash = await client.get(
            f"{edge}/graphql", params={"extensions": orjson.dumps(extensions).decode()}
        )
    assert by_hash.json() == {"data": {"person": {"name": "Linus"}}}


async def test_a_persisted_query_whose_hash_does_not_match_is_refused(edge: str) -> None:
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    response = await post(edge, {"query": "{ people { id } }", "extensions": extensions})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "provided sha does not match query"


@pytest.mark.parametrize(
    ("query", "code", "words"),
    [
        ("{ people { friends { friends { friends { name } } } } }", "QUERY_TOO_DEEP", "4 levels"),
        (
            "{ " + " ".join(f"a{i}: people {{ id }}" for i in range(11)) + " }",
            "QUERY_TOO_LARGE",
            "20 fields",
        ),
        ("{ people { id " + " " * 2000 + "} }", "QUERY_TOO_LARGE", "at most 2000"),
        (
            "query { people { ...F } } fragment F on Person { friends { friends { friends "
            "{ id } } } }",
            "QUERY_TOO_DEEP",
            "4 levels",
        ),
    ],
)
async def test_operations_past_the_bounds_are_refused_clearly(
    edge: str, toys: ToySubgraphs, query: str, code: str, words: str
) -> None:
    toys.forget_requests()
    response = await post(edge, {"query": query})
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == code
    assert words in error["message"]
    assert [r for app in toys.apps.values() for r in app.requests] == []


async def test_cors_answers_the_configured_origins_only(edge: str) -> None:
    preflight = {
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
    }
    async with httpx.AsyncClient() as client:
        allowed = await client.options(f"{edge}/graphql", headers={"origin": ORIGIN, **preflight})
        other = await client.options(
            f"{edge}/graphql", headers={"origin": "https://evil.example", **preflight}
        )
        simple = await client.post(
            f"{edge}/graphql", json={"query": "{ people { id } }"}, headers={"origin": ORIGIN}
        )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    assert other.status_code == 400
    assert "access-control-allow-origin" not in other.headers
    assert simple.headers["access-control-allow-origin"] == ORIGIN


async def test_no_cors_by_default(toys: ToySubgraphs) -> None:
    async with serve_asgi(create_app(toys.supergraph)) as url, httpx.AsyncClient() as client:
        response = await client.post(
            f"{url}/graphql", json={"query": "{ people { id } }"}, headers={"origin": ORIGIN}
        )
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


async def test_readyz_names_the_subgraph_it_cannot_reach(toys: ToySubgraphs) -> None:
    app = create_app(toys.supergraph, {"books": "http://127.0.0.1:9/graphql"})
    async with serve_asgi(app) as url, httpx.AsyncClient() as client:
        ready = await client.get(f"{url}/readyz")
        alive = await client.get(f"{url}/healthz")
    assert alive.status_code == 200
    assert ready.status_code == 503
    assert ready.json() == {"books": False, "inventory": True, "people": True, "reviews": True}


async def test_metrics_count_requests_latency_and_fetches_per_operation(edge: str) -> None:
    await post(edge, {"query": "{ people { name books { title } } }"})
    async with httpx.AsyncClient() as client:
        text = (await client.get(f"{edge}/metrics")).text
    assert 'cb_gateway_requests_total{route="/graphql",status="200"}' in text
    assert 'cb_gateway_request_seconds_bucket{le="0.1",route="/graphql"}' in text
    assert "cb_gateway_subgraph_fetches_per_operation_bucket" in text
    assert 'cb_gateway_subgraph_fetches_total{subgraph="books"}' in text
    assert "cb_gateway_refused_tokens_total" in text


def test_settings_listen_on_cb_host_and_read_the_edge_bounds(stack: TestStack) -> None:
    keys = {"CB_JWT_PUBLIC_KEY_FILE": str(stack.jwks_file)}
    default = load_gateway_settings(keys)
    assert (default.host, default.port, default.edge.cors_origins) == ("127.0.0.1", 4000, ())
    settings = load_gateway_settings(
        {
            **keys,
            "CB_HOST": "0.0.0.0",
            "CB_GATEWAY_PORT": "4100",
            "CB_CORS_ORIGINS": f"{ORIGIN}, https://admin.example",
            "CB_GATEWAY_MAX_DEPTH": "7",
        }
    )
    assert (settings.host, settings.port) == ("0.0.0.0", 4100)
    assert settings.edge.cors_origins == (ORIGIN, "https://admin.example")
    assert settings.edge.limits.max_depth == 7
    with pytest.raises(ConfigError, match="CB_GATEWAY_MAX_DEPTH"):
        load_gateway_settings({**keys, "CB_GATEWAY_MAX_DEPTH": "deep"})


def test_the_evidence_subgraph_is_outcomes_unless_configured(stack: TestStack) -> None:
    keys = {"CB_JWT_PUBLIC_KEY_FILE": str(stack.jwks_file)}
    assert load_gateway_settings(keys).edge.evidence_subgraph == "outcomes"
    configured = load_gateway_settings({**keys, "CB_EVIDENCE_SUBGRAPH": "files"})
    assert configured.edge.evidence_subgraph == "files"


async def test_evidence_goes_to_the_configured_subgraph(toys: ToySubgraphs) -> None:
    app = create_app(toys.supergraph, config=EdgeConfig(evidence_subgraph="people"))
    toys.forget_requests()
    async with serve_asgi(app) as url, httpx.AsyncClient() as client:
        await client.get(f"{url}/evidence/e-1", headers={"x-request-id": "evidence-1"})
    (request,) = toys.apps["people"].requests
    assert (request.path, request.headers["x-request-id"]) == ("/evidence/e-1", "evidence-1")


def test_an_evidence_subgraph_not_in_the_supergraph_is_refused_by_name(
    toys: ToySubgraphs,
) -> None:
    with pytest.raises(ConfigError, match=r"CB_EVIDENCE_SUBGRAPH names no subgraph .*'outcomes'"):
        create_app(toys.supergraph, config=EdgeConfig(evidence_subgraph="outcomes"))


def test_the_gateway_process_does_not_start_with_an_unknown_evidence_subgraph(
    stack: TestStack,
) -> None:
    environ = {
        **os.environ,
        "CB_JWT_PUBLIC_KEY_FILE": str(stack.jwks_file),
        "CB_EVIDENCE_SUBGRAPH": "evidences",
    }
    started = subprocess.run(
        [sys.executable, "-m", "gateway"], env=environ, capture_output=True, text=True, timeout=60
    )
    assert started.returncode == 1
    assert "CB_EVIDENCE_SUBGRAPH names no subgraph of the supergraph: 'evidences'" in (
        started.stderr
    )
