"""The edge of the running gateway process over the real services: tokens, the evidence
routes (same answers as outcomes, streamed), health, persisted queries as Apollo's."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from cbkit.auth import Role
from cbkit.testing import RunningSystem, TestStack
from gateway.edge.upstream import request_with_continue
from gateway.tests.harness import GatewayPair
from gateway.tests.world import PDF, World

MiB = 1024 * 1024
COMPARED_HEADERS = (
    "content-type",
    "content-length",
    "content-disposition",
    "etag",
    "cache-control",
    "content-security-policy",
    "x-content-type-options",
    "www-authenticate",
    "connection",
)


def same_answer(via_gateway: httpx.Response, direct: httpx.Response) -> None:
    assert via_gateway.status_code == direct.status_code, (via_gateway.text, direct.text)
    for name in COMPARED_HEADERS:
        assert via_gateway.headers.get(name) == direct.headers.get(name), name


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_tokens_from_the_stack_and_from_accounts_work_everywhere(
    running_system: RunningSystem, stack: TestStack, world: World
) -> None:
    minted = stack.token(world.ids["learner"], Role.LEARNER)
    query = "{ me { displayName outcomes { certification { status } conversions { credits } } } }"
    async with httpx.AsyncClient(timeout=10) as client:
        through = await client.post(
            running_system.gateway, json={"query": query}, headers=bearer(minted)
        )
        body = through.json()
        assert "errors" not in body and body["data"]["me"]["displayName"] == "Li Na"
        issued = world.tokens["reviewer"]
        for name in RunningSystem.SERVICES:  # accounts' own token, each subgraph directly
            direct = await client.post(
                f"{running_system.url(name)}/graphql",
                json={"query": "{ _service { sdl } }"},
                headers=bearer(issued),
            )
            assert direct.status_code == 200 and "errors" not in direct.json(), name
        queue = await client.post(
            running_system.gateway, json={"query": "{ reviewQueue { id } }"}, headers=bearer(issued)
        )
        assert "errors" not in queue.json()


@pytest.mark.parametrize("kind", ["expired", "tampered"])
async def test_bad_tokens_get_401_at_the_edge_and_no_subgraph_is_asked(
    running_system: RunningSystem, stack: TestStack, world: World, kind: str
) -> None:
    token = stack.token(world.ids["learner"], Role.LEARNER, expires_in=timedelta(seconds=-5))
    if kind == "tampered":
        token = world.tokens["learner"][:-6] + (
            "AAAAAA" if not world.tokens["learner"].endswith("AAAAAA") else "BBBBBB"
        )
    metrics_url = f"{running_system.url('gateway')}/metrics"
    async with httpx.AsyncClient(timeout=10) as client:
        before = fetch_count((await client.get(metrics_url)).text)
        response = await client.post(
            running_system.gateway,
            json={"query": "{ me { id } majors { code } }"},
            headers=bearer(token),
        )
        after = fetch_count((await client.get(metrics_url)).text)
        # the subgraph refuses the same token on its own too
        direct = await client.post(
            f"{running_system.url('accounts')}/graphql",
            json={"query": "{ me { id } }"},
            headers=bearer(token),
        )
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert after == before
    assert direct.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def fetch_count(metrics: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("cb_gateway_subgraph_fetches_total{")
    )


async def test_500_aliased_logins_in_one_request_are_refused_before_accounts_is_asked(
    running_system: RunningSystem,
) -> None:
    login = 'login(email: "admin@test.creditbank.local", password: "guess") { token }'
    query = "mutation { " + " ".join(f"a{i}: {login}" for i in range(500)) + " }"
    metrics_url = f"{running_system.url('gateway')}/metrics"
    async with httpx.AsyncClient(timeout=10) as client:
        before = fetch_count((await client.get(metrics_url)).text)
        response = await client.post(running_system.gateway, json={"query": query})
        after = fetch_count((await client.get(metrics_url)).text)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert after == before


async def test_anonymous_requests_reach_public_fields_only(running_system: RunningSystem) -> None:
    query = "{ majors { code } me { id } reviewQueue { id } }"
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(running_system.gateway, json={"query": query})
    body = response.json()
    assert response.status_code == 200
    assert body["data"] is None  # reviewQueue is non-null and refused
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    public = await _post(running_system.gateway, "{ majors { code } me { id } }")
    assert public["data"]["majors"] and public["data"]["me"] is None


async def _post(url: str, query: str) -> Any:
    async with httpx.AsyncClient(timeout=10) as client:
        return (await client.post(url, json={"query": query})).json()


@pytest.fixture
def edges(running_system: RunningSystem) -> tuple[str, str]:
    return running_system.url("gateway"), running_system.url("outcomes")


@dataclass(frozen=True)
class Direct:
    """outcomes' own answer, asked with `Expect: 100-continue` so an early refusal is read."""

    status_code: int
    headers: httpx.Headers
    content: bytes

    def json(self) -> object:
        return orjson.loads(self.content)


def multipart(content: bytes) -> tuple[bytes, str]:
    boundary = "cbgatewayevidencetest"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="certificate.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


async def upload_both(
    edges: tuple[str, str], content: bytes, auth: dict[str, str], salt: bytes = b""
) -> tuple[httpx.Response, Direct]:
    gateway, outcomes = edges
    body, content_type = multipart(content + salt)
    async with httpx.AsyncClient(timeout=60) as client:
        via_gateway = await client.post(
            f"{gateway}/evidence", content=body, headers={**auth, "Content-Type": content_type}
        )
    direct_body, _ = multipart(content + salt[::-1])

    async def chunks() -> AsyncIterator[bytes]:
        yield direct_body

    headers = [
        *auth.items(),
        ("content-type", content_type),
        ("content-length", str(len(direct_body))),
    ]
    upstream = await request_with_continue(f"{outcomes}/evidence", "POST", headers, chunks())
    received = b"".join([chunk async for chunk in upstream.body()])
    return via_gateway, Direct(upstream.status, httpx.Headers(upstream.headers), received)


@pytest.mark.parametrize(
    ("who", "content", "status"),
    [
        (None, PDF, 401),
        ("reviewer", PDF, 403),
        ("learner", b"plain text, not a PDF", 415),
        ("learner", PDF + b"0" * (10 * MiB + 100 * 1024), 413),
        ("learner", PDF + b"gateway-upload", 201),
    ],
)
async def test_uploads_answer_as_outcomes_does(
    edges: tuple[str, str], world: World, who: str | None, content: bytes, status: int
) -> None:
    via_gateway, direct = await upload_both(edges, content, world.auth(who), b"ab")
    assert via_gateway.status_code == direct.status_code == status, via_gateway.text
    for name in COMPARED_HEADERS:
        assert via_gateway.headers.get(name) == direct.headers.get(name), name
    answer, expected = via_gateway.json(), direct.json()
    assert isinstance(expected, dict)
    if status == 201:
        assert answer.keys() == expected.keys()
        assert via_gateway.headers["location"] == f"/evidence/{answer['id']}"
    else:
        assert answer == expected


@pytest.mark.parametrize("case", ["owner", "other learner", "no token", "unknown id"])
async def test_downloads_answer_as_outcomes_does(
    edges: tuple[str, str], world: World, case: str
) -> None:
    evidence_id = world.ids["evidence_principal"]
    who: str | None = {"owner": "learner", "other learner": "other", "no token": None}.get(
        case, "learner"
    )
    if case == "unknown id":
        evidence_id = "00000000-0000-0000-0000-000000000000"
    async with httpx.AsyncClient(timeout=30) as client:
        via_gateway, direct = [
            await client.get(f"{base}/evidence/{evidence_id}", headers=world.auth(who))
            for base in edges
        ]
    same_answer(via_gateway, direct)
    assert via_gateway.content == direct.content
    if case == "owner":
        assert via_gateway.status_code == 200
        assert via_gateway.content == PDF + b"principal"


def peak_rss(pid: int) -> int:
    """The process's high-water resident memory in bytes (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


async def test_a_10_mib_upload_streams_through_without_growing_the_gateway_by_10_mib(
    running_system: RunningSystem, world: World
) -> None:
    pid = running_system.processes["gateway"].pid
    boundary = "cbgatewaystreamtest"
    size = 10 * MiB - 1024
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    async def body(salt: bytes, total: int) -> AsyncIterator[bytes]:
        yield head + b"%PDF-1.4\n" + salt
        left = total - 9 - len(salt)
        chunk = b"x" * (64 * 1024)
        while left > 0:
            yield chunk[: min(left, len(chunk))]
            left -= len(chunk)
        yield tail

    headers = {**world.auth("learner"), "Content-Type": f"multipart/form-data; boundary={boundary}"}
    url = f"{running_system.url('gateway')}/evidence"
    async with httpx.AsyncClient(timeout=60) as client:
        warm = await client.post(url, content=body(b"warm-up", 512 * 1024), headers=headers)
        assert warm.status_code == 201, warm.text
        before = peak_rss(pid)
        response = await client.post(url, content=body(b"ten-mib", size), headers=headers)
        grown = peak_rss(pid) - before
    assert response.status_code == 201, response.text
    assert response.json()["size"] == size
    assert grown < 5 * MiB, f"the gateway grew by {grown / MiB:.1f} MiB"


async def test_health_and_readiness(running_system: RunningSystem) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        alive = await client.get(f"{running_system.url('gateway')}/healthz")
        ready = await client.get(f"{running_system.url('gateway')}/readyz")
    assert alive.status_code == 200
    assert ready.status_code == 200
    assert ready.json() == dict.fromkeys(sorted(RunningSystem.SERVICES), True)


async def test_persisted_queries_answer_as_apollo_gateway(
    system_gateways: GatewayPair, world: World
) -> None:
    query = "query Balance { me { balance { available } } }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    hashed = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    headers = {**world.auth("learner"), "apollo-require-preflight": "true"}
    client = system_gateways.client
    for url in (system_gateways.ours, system_gateways.apollo):
        missing = await client.post(url, json=hashed, headers=headers)
        assert missing.status_code == 200, url
        assert [e["message"] for e in missing.json()["errors"]] == ["PersistedQueryNotFound"]
        assert missing.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        sent = await client.post(url, json={**hashed, "query": query}, headers=headers)
        again = await client.post(url, json=hashed, headers=headers)
        assert sent.json() == again.json() == {"data": {"me": {"balance": {"available": "5.5"}}}}
        wrong = await client.post(url, json={**hashed, "query": "{ me { id } }"}, headers=headers)
        assert wrong.status_code == 400, url
        assert wrong.json()["errors"][0]["message"] == "provided sha does not match query"
