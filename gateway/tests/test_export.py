"""`GET /me/export` on the running system: a learner downloads everything the bank holds
about her (every service's JSON and her evidence files, byte for byte) and nothing of
anyone else; without a token, or as staff, she is refused as the services refuse."""

from __future__ import annotations

import contextlib
import io
import uuid
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from cbkit.testing import RunningSystem
from gateway.app import create_app
from gateway.compose import SUPERGRAPH_PATH
from gateway.edge.config import EdgeConfig
from gateway.tests.conftest import TOY_SCHEMAS, ToySubgraphs
from gateway.tests.harness import free_port, serve_asgi
from gateway.tests.world import PASSWORD, PDF, World, must

SERVICES = tuple(RunningSystem.SERVICES)
OPEN = """mutation($e: String!, $p: String!, $n: String!) {
  openAccount(email: $e, password: $p, displayName: $n) { token account { id } } }"""
ADD = "mutation($input: AddResultInput!) { addResult(input: $input) { id } }"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def download(url: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async with httpx.AsyncClient(timeout=60) as client:
        return await client.get(f"{url}/me/export", headers=headers or {})


def opened(response: httpx.Response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.text
    return zipfile.ZipFile(io.BytesIO(response.content))


class Stranger:
    """A learner of her own with a result and an evidence file: none of it may show up in
    another learner's archive."""

    def __init__(self, token: str, id: str, title: str, evidence_id: str, content: bytes) -> None:
        self.token, self.id, self.title = token, id, title
        self.evidence_id, self.content = evidence_id, content

    @property
    def traces(self) -> list[bytes]:
        return [s.encode() for s in (self.id, self.title, self.evidence_id)] + [self.content]


async def stranger(system: RunningSystem) -> Stranger:
    tag = uuid.uuid4().hex[:10]
    async with httpx.AsyncClient(timeout=30) as client:
        account = await must(
            client,
            system.gateway,
            OPEN,
            {"e": f"stranger.{tag}@example.org", "p": PASSWORD, "n": f"Stranger {tag}"},
        )
        token = account["openAccount"]["token"]
        content = PDF + f"stranger's own certificate {tag}".encode()
        uploaded = await client.post(
            f"{system.url('gateway')}/evidence",
            files={"file": (f"stranger-{tag}.pdf", content, "application/pdf")},
            headers=bearer(token),
        )
        assert uploaded.status_code == 201, uploaded.text
        evidence_id = uploaded.json()["id"]
        title = f"Stranger's diploma {tag}"
        result = {
            "kind": "QUALIFICATION_CERTIFICATE",
            "title": title,
            "issuer": "Elsewhere",
            "achievedOn": "2023-03-01",
            "evidenceIds": [evidence_id],
        }
        await must(client, system.gateway, ADD, {"input": result}, token)
    return Stranger(token, account["openAccount"]["account"]["id"], title, evidence_id, content)


async def test_a_learner_downloads_her_records_and_files_and_nothing_of_anyone_else(
    running_system: RunningSystem, world: World
) -> None:
    other = await stranger(running_system)
    learner_id = world.ids["learner"]
    response = await download(running_system.url("gateway"), bearer(world.tokens["learner"]))
    archive = opened(response)

    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="creditbank-export-{learner_id}.zip"'
    )
    assert response.headers["cache-control"] == "no-store"
    assert archive.testzip() is None
    names = archive.namelist()
    assert {f"{name}.json" for name in SERVICES} | {"README.txt"} <= set(names)
    documents = {name: orjson.loads(archive.read(f"{name}.json")) for name in SERVICES}
    for name, document in documents.items():
        assert document["service"] == name
        assert document["learnerId"] == learner_id
        assert isinstance(document["records"], dict)

    # her results, her cases, her credits and her profile, each from the service holding them
    text = {name: archive.read(f"{name}.json").decode() for name in SERVICES}
    for result in ("principal", "teacher", "rejected", "pending"):
        assert world.ids[result] in text["outcomes"], result
    assert "Kindergarten principal qualification" in text["outcomes"]
    for case in ("case_principal", "case_teacher", "case_rejected"):
        assert world.ids[case] in text["certification"], case
    assert "PE-TRWM" in text["conversion"] and "PE-CGADO" in text["conversion"]
    assert "Li Na" in text["accounts"]

    # each of her evidence files, byte for byte, under its id and name
    for key in ("principal", "teacher", "rejected"):
        evidence_id = world.ids[f"evidence_{key}"]
        assert f"evidence/{evidence_id}" in text["outcomes"]
        [name] = [n for n in names if n.startswith(f"evidence/{evidence_id}/")]
        assert name == f"evidence/{evidence_id}/{key}.pdf"
        assert archive.read(name) == PDF + key.encode()

    # nothing of another learner: neither the story's other learner nor a stranger
    everything = b"".join(archive.read(name) for name in names)
    for trace in [*other.traces, world.ids["other"].encode(), b"Wang Fang", b"Library volunteer"]:
        assert trace not in everything, trace

    readme = archive.read("README.txt").decode()
    assert "学分银行" in readme and "Credit Bank" in readme
    for name in SERVICES:
        assert f"{name}.json" in readme


async def test_the_stranger_gets_her_own_file_in_her_own_archive(
    running_system: RunningSystem, world: World
) -> None:
    other = await stranger(running_system)
    response = await download(running_system.url("gateway"), bearer(other.token))
    archive = opened(response)
    [name] = [n for n in archive.namelist() if n.startswith("evidence/")]
    assert name.startswith(f"evidence/{other.evidence_id}/")
    assert archive.read(name) == other.content
    assert other.title.encode() in archive.read("outcomes.json")
    assert world.ids["learner"].encode() not in b"".join(
        archive.read(n) for n in archive.namelist()
    )


async def test_without_a_token_the_export_is_refused_with_401(
    running_system: RunningSystem, world: World
) -> None:
    gateway = running_system.url("gateway")
    anonymous = await download(gateway)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert anonymous.json()["code"] == "UNAUTHENTICATED"
    assert anonymous.json()["field"] is None

    token = world.tokens["learner"]
    tampered = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    refused = await download(gateway, bearer(tampered))
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert refused.json()["code"] == "UNAUTHENTICATED"
    chinese = await download(gateway, {"Accept-Language": "zh-CN"})
    assert chinese.status_code == 401 and chinese.json()["code"] == "UNAUTHENTICATED"
    assert chinese.json()["error"] != anonymous.json()["error"]
    assert any("\u4e00" <= c <= "\u9fff" for c in chinese.json()["error"])


@pytest.mark.parametrize("who", ["reviewer", "institution", "admin"])
@pytest.mark.parametrize("language", [None, "zh-CN"])
async def test_staff_are_refused_as_the_services_refuse_them(
    running_system: RunningSystem, world: World, who: str, language: str | None
) -> None:
    headers = {**bearer(world.tokens[who]), **({"Accept-Language": language} if language else {})}
    response = await download(running_system.url("gateway"), headers)
    async with httpx.AsyncClient(timeout=30) as client:
        direct = [
            await client.get(f"{running_system.url(name)}/privacy/export", headers=headers)
            for name in SERVICES
        ]
    assert {answer.status_code for answer in direct} == {403}
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/json"
    assert response.json() in [answer.json() for answer in direct]
    assert response.json()["code"] == "FORBIDDEN"
    assert b"PK" not in response.content[:2]


@pytest.fixture
async def gateway_missing_certification(
    running_system: RunningSystem,
) -> AsyncIterator[str]:
    """Another gateway over the running services, but with certification out of reach."""
    urls = {name: f"{running_system.url(name)}/graphql" for name in SERVICES}
    urls["certification"] = f"http://127.0.0.1:{free_port()}/graphql"
    app = create_app(SUPERGRAPH_PATH.read_text(), urls, EdgeConfig(evidence_subgraph="outcomes"))
    async with serve_asgi(app) as url:
        yield url


async def test_a_service_out_of_reach_makes_it_503_naming_no_host(
    gateway_missing_certification: str, world: World
) -> None:
    headers: dict[str, Any] = {**bearer(world.tokens["learner"]), "X-Request-Id": "export-503"}
    response = await download(gateway_missing_certification, headers)
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "SERVICE_UNAVAILABLE"
    assert body["requestId"] == "export-503"
    assert "export-503" in body["error"]
    assert "127.0.0.1" not in response.text and "certification" not in response.text


# --- on stand-in services: what the running system cannot be made to do -----------------


@dataclass
class StandIn:
    """One app standing in for every subgraph's service (one port each): its export and
    its evidence files, as the test sets them."""

    missing: bool = False
    """no export route: 404 without a refusal"""
    learner: str = "learner-1"
    odd_port: int | None = None
    """the port whose export names another learner"""
    ports: list[int] = field(default_factory=list)
    files: dict[str, tuple[str, bytes] | None] = field(default_factory=dict)
    """evidence id -> (Content-Disposition filename, bytes); None: 404"""
    app: Starlette = field(init=False)

    def __post_init__(self) -> None:
        self.app = Starlette(
            routes=[
                Route("/privacy/export", self.export),
                Route("/evidence/{id}", self.evidence),
            ]
        )

    async def export(self, request: Request) -> Response:
        if self.missing:
            return PlainTextResponse("Not Found", status_code=404)
        learner = "someone-else" if request.url.port == self.odd_port else self.learner
        records = {"evidence": [{"id": i, "download": f"/evidence/{i}"} for i in self.files]}
        return JSONResponse({"service": "stand-in", "learnerId": learner, "records": records})

    async def evidence(self, request: Request) -> Response:
        found = self.files.get(request.path_params["id"])
        if found is None:
            return JSONResponse({"error": "gone", "code": "NOT_FOUND", "field": "id"}, 404)
        name, content = found

        async def chunks() -> AsyncIterator[bytes]:
            for start in range(0, len(content), 100_000):
                yield content[start : start + 100_000]

        disposition = f"attachment; filename*=UTF-8''{quote(name, safe='')}"
        return StreamingResponse(chunks(), headers={"Content-Disposition": disposition})


@contextlib.asynccontextmanager
async def stand_in_gateway(toys: ToySubgraphs, stand_in: StandIn) -> AsyncIterator[str]:
    """A gateway over the toy supergraph whose every subgraph is the stand-in (on one port
    per subgraph), `people` holding the evidence."""
    async with contextlib.AsyncExitStack() as stack:
        urls = {}
        for name in TOY_SCHEMAS:
            url = await stack.enter_async_context(serve_asgi(stand_in.app))
            urls[name] = f"{url}/graphql"
        stand_in.ports = [urlsplit(url).port or 80 for url in urls.values()]
        app = create_app(toys.supergraph, urls, EdgeConfig(evidence_subgraph="people"))
        yield await stack.enter_async_context(serve_asgi(app))


async def test_a_file_that_cannot_be_fetched_is_named_in_the_readme(toys: ToySubgraphs) -> None:
    big = bytes(range(256)) * 12_000  # 3 MB, sent in 100 kB chunks
    stand_in = StandIn(
        files={"e-1": ("../../etc/成绩单.pdf", big), "e-2": None, "e-3": ("\x00..", b"x")}
    )
    async with stand_in_gateway(toys, stand_in) as url:
        response = await download(url, bearer("any"))
    archive = opened(response)
    assert response.headers["content-disposition"] == (
        'attachment; filename="creditbank-export-learner-1.zip"'
    )
    names = archive.namelist()
    assert sorted(names) == sorted(
        [
            *(f"{name}.json" for name in sorted(TOY_SCHEMAS)),
            "evidence/e-1/成绩单.pdf",  # one path segment, never a way out of its folder
            "evidence/e-3/file",
            "README.txt",
        ]
    )
    assert archive.read("evidence/e-1/成绩单.pdf") == big
    readme = archive.read("README.txt").decode()
    assert "e-2: HTTP 404" in readme
    assert "evidence/e-1/成绩单.pdf" in readme and "learner-1" in readme


async def test_a_service_without_an_export_or_exporting_another_learner_makes_it_503(
    toys: ToySubgraphs,
) -> None:
    missing = StandIn(missing=True)
    async with stand_in_gateway(toys, missing) as url:
        response = await download(url, bearer("any"))
    assert response.status_code == 503
    assert response.json()["code"] == "SERVICE_UNAVAILABLE"

    odd = StandIn()
    async with stand_in_gateway(toys, odd) as url:
        odd.odd_port = odd.ports[0]
        response = await download(url, {**bearer("any"), "Accept-Language": "zh-CN"})
    assert response.status_code == 503
    assert response.json()["code"] == "SERVICE_UNAVAILABLE"
    assert "服务不可用" in response.json()["error"]
