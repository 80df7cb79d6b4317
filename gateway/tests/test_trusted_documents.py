"""Trusted documents (CB_TRUSTED_DOCUMENTS) on the toy subgraphs: the portal's browser
clients run only the manifest's documents, by id; API clients run as before; without the
setting nothing changes; a manifest that cannot be used stops the start, naming the
setting."""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import orjson
import pytest
import pytest_asyncio

from cbkit.auth import Role
from cbkit.testing import TestStack
from gateway.app import create_app
from gateway.edge.apq import PersistedQueryError
from gateway.edge.config import ConfigError, EdgeConfig, load_gateway_settings
from gateway.edge.trusted import RELOAD_SECONDS, TrustedDocuments, load_trusted_documents
from gateway.tests.conftest import ToySubgraphs
from gateway.tests.harness import serve_asgi
from gateway.tests.test_did import production_issuer

PERSON = "query Person($id: ID!) { person(id: $id) { name } }"
PEOPLE = "query People { people { id } }"
FREE_TEXT = '{ person(id: "p1") { name } }'
NOT_ALLOWED = {
    "errors": [
        {
            "message": "only the portal's trusted documents run here",
            "extensions": {"code": "PERSISTED_QUERY_NOT_ALLOWED"},
        }
    ]
}
PORTAL = {"x-cb-client": "portal"}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def write_manifest(path: Path, documents: list[str]) -> Path:
    path.write_bytes(orjson.dumps({sha256(text): text for text in documents}))
    return path


def settings_with(stack: TestStack, manifest: Path | None) -> EdgeConfig:
    """The edge configured as `python -m gateway` configures it from the environment."""
    environ = {"CB_JWT_PUBLIC_KEY_FILE": str(stack.jwks_file)}
    if manifest is not None:
        environ["CB_TRUSTED_DOCUMENTS"] = str(manifest)
    edge = load_gateway_settings(environ).edge
    # the toys have no evidence and issue no credentials
    return dataclasses.replace(edge, evidence_subgraph=None, credentials_subgraph=None)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def trusted(
    toys: ToySubgraphs, stack: TestStack, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """Our gateway over the toys with a manifest of PERSON and PEOPLE."""
    manifest = write_manifest(tmp_path_factory.mktemp("trusted") / "docs.json", [PERSON, PEOPLE])
    async with serve_asgi(
        create_app(toys.supergraph, config=settings_with(stack, manifest))
    ) as url:
        yield url


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def untrusted(toys: ToySubgraphs, stack: TestStack) -> AsyncIterator[str]:
    """Our gateway over the toys without CB_TRUSTED_DOCUMENTS."""
    async with serve_asgi(create_app(toys.supergraph, config=settings_with(stack, None))) as url:
        yield url


async def post(url: str, body: object, headers: dict[str, str] | None = None) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(f"{url}/graphql", json=body, headers=headers or {})


def subgraph_requests(toys: ToySubgraphs) -> int:
    return sum(len(app.requests) for app in toys.apps.values())


# The manifest, checked when the settings are read


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "cannot read"),
        (b"{not json", "is not JSON"),
        (b"[]", "must be a non-empty JSON object"),
        (b"{}", "must be a non-empty JSON object"),
        (orjson.dumps({"abc": PERSON}), "'abc' is not a SHA-256 hex digest"),
        (orjson.dumps({sha256(PERSON).upper(): PERSON}), "is not a SHA-256 hex digest"),
        (orjson.dumps({sha256(PEOPLE): PERSON}), "is not the SHA-256 of its document"),
        (orjson.dumps({sha256(PERSON): 7}), "is not a string"),
        (orjson.dumps({sha256("query {"): "query {"}), "is not GraphQL"),
    ],
)
def test_a_manifest_that_cannot_be_used_is_refused_naming_the_setting(
    stack: TestStack, tmp_path: Path, content: bytes | None, words: str
) -> None:
    manifest = tmp_path / "trusted-documents.json"
    if content is not None:
        manifest.write_bytes(content)
    with pytest.raises(ConfigError, match=r"^CB_TRUSTED_DOCUMENTS: ") as refused:
        settings_with(stack, manifest)
    assert words in str(refused.value)
    assert str(manifest) in str(refused.value)


def test_the_setting_reads_every_document_of_the_manifest(stack: TestStack, tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "docs.json", [PERSON, PEOPLE])
    documents = settings_with(stack, manifest).trusted_documents
    assert documents is not None
    assert dict(documents.documents) == {sha256(PERSON): PERSON, sha256(PEOPLE): PEOPLE}
    assert settings_with(stack, None).trusted_documents is None


def test_the_client_presets_sha256_prefixed_keys_are_read_as_digests(
    stack: TestStack, tmp_path: Path
) -> None:
    manifest = tmp_path / "persisted-documents.json"
    manifest.write_bytes(orjson.dumps({f"sha256:{sha256(PERSON)}": PERSON}))
    documents = settings_with(stack, manifest).trusted_documents
    assert documents is not None
    assert dict(documents.documents) == {sha256(PERSON): PERSON}


def test_in_development_a_changed_manifest_is_read_anew_and_a_broken_one_ignored(
    tmp_path: Path,
) -> None:
    manifest = write_manifest(tmp_path / "docs.json", [PERSON])
    documents = load_trusted_documents(manifest, watch=True)
    documents = TrustedDocuments(documents.documents, str(manifest), watch=manifest, every=0)
    assert documents.resolve_for(True, None, None, sha256(PERSON)) == PERSON
    with pytest.raises(PersistedQueryError):
        documents.resolve_for(True, None, None, sha256(PEOPLE))

    write_manifest(manifest, [PERSON, PEOPLE])  # `make web-codegen` added an operation
    assert documents.resolve_for(True, None, None, sha256(PEOPLE)) == PEOPLE

    manifest.write_bytes(b"{half written")
    assert documents.resolve_for(True, None, None, sha256(PEOPLE)) == PEOPLE


def test_in_production_the_manifest_read_at_start_stays(stack: TestStack, tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "docs.json", [PERSON])
    environ = {
        "CB_JWT_PUBLIC_KEY_FILE": str(stack.jwks_file),
        "CB_TRUSTED_DOCUMENTS": str(manifest),
    }
    production = load_gateway_settings(
        {**environ, "CB_ENV": "production", **production_issuer()}
    ).edge
    development = load_gateway_settings(environ).edge
    write_manifest(manifest, [PEOPLE])
    time.sleep(RELOAD_SECONDS + 0.05)
    assert production.trusted_documents is not None
    assert development.trusted_documents is not None
    assert set(production.trusted_documents.documents) == {sha256(PERSON)}
    assert set(development.trusted_documents.documents) == {sha256(PEOPLE)}


# The portal: trusted documents only


async def test_the_portal_runs_a_trusted_document_by_its_id(trusted: str) -> None:
    variables = {"id": "p1"}
    by_id = await post(trusted, {"documentId": sha256(PERSON), "variables": variables}, PORTAL)
    assert by_id.status_code == 200
    assert by_id.json() == {"data": {"person": {"name": "Ada"}}}
    prefixed = await post(
        trusted, {"documentId": f"sha256:{sha256(PERSON)}", "variables": variables}, PORTAL
    )
    assert prefixed.json() == {"data": {"person": {"name": "Ada"}}}
    apollo = {"persistedQuery": {"version": 1, "sha256Hash": sha256(PERSON)}}
    by_hash = await post(trusted, {"extensions": apollo, "variables": {"id": "p2"}}, PORTAL)
    assert by_hash.json() == {"data": {"person": {"name": "Grace"}}}
    async with httpx.AsyncClient() as client:
        by_get = await client.get(
            f"{trusted}/graphql",
            params={"documentId": sha256(PEOPLE)},
            headers=PORTAL,
        )
    assert by_get.status_code == 200
    assert {"id": "p1"} in by_get.json()["data"]["people"]


async def test_the_portal_may_send_a_trusted_documents_text_with_its_id(trusted: str) -> None:
    body = {"documentId": sha256(PEOPLE), "query": PEOPLE}
    response = await post(trusted, body, PORTAL)
    assert response.status_code == 200
    assert "people" in response.json()["data"]
    other = await post(trusted, {"documentId": sha256(PEOPLE), "query": FREE_TEXT}, PORTAL)
    assert (other.status_code, other.json()) == (400, NOT_ALLOWED)


async def test_an_unknown_id_is_refused(trusted: str, toys: ToySubgraphs) -> None:
    toys.forget_requests()
    unknown = sha256(FREE_TEXT)
    portal = await post(trusted, {"documentId": unknown}, PORTAL)
    assert (portal.status_code, portal.json()) == (400, NOT_ALLOWED)
    apollo = {"persistedQuery": {"version": 1, "sha256Hash": unknown}}
    portal_apq = await post(trusted, {"extensions": apollo}, PORTAL)
    assert (portal_apq.status_code, portal_apq.json()) == (400, NOT_ALLOWED)
    api = await post(trusted, {"documentId": unknown})
    assert api.status_code == 400
    (error,) = api.json()["errors"]
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert unknown in error["message"]
    assert subgraph_requests(toys) == 0


@pytest.mark.parametrize(
    "signal",
    ["x-cb-client header", "same-origin Origin", "sec-fetch-site same-origin"],
)
async def test_free_text_from_the_portal_is_refused_before_any_subgraph_is_asked(
    trusted: str, toys: ToySubgraphs, stack: TestStack, signal: str
) -> None:
    headers = {
        "x-cb-client header": {"X-CB-Client": "Portal"},
        "same-origin Origin": {"origin": trusted},  # the page the gateway itself served
        "sec-fetch-site same-origin": {"sec-fetch-site": "same-origin"},
    }[signal]
    signed = {"authorization": f"Bearer {stack.token('p1', Role.LEARNER)}", **headers}
    toys.forget_requests()
    response = await post(trusted, {"query": FREE_TEXT}, signed)
    assert (response.status_code, response.json()) == (400, NOT_ALLOWED)
    # nor may it register a text as an automatic persisted query
    apollo = {"persistedQuery": {"version": 1, "sha256Hash": sha256(FREE_TEXT)}}
    registering = await post(trusted, {"query": FREE_TEXT, "extensions": apollo}, signed)
    assert (registering.status_code, registering.json()) == (400, NOT_ALLOWED)
    async with httpx.AsyncClient() as client:
        by_get = await client.get(f"{trusted}/graphql", params={"query": FREE_TEXT}, headers=signed)
    assert (by_get.status_code, by_get.json()) == (400, NOT_ALLOWED)
    assert subgraph_requests(toys) == 0


async def test_api_clients_run_any_operation_as_today(trusted: str, stack: TestStack) -> None:
    authorization = {"authorization": f"Bearer {stack.token('p1', Role.LEARNER)}"}
    signed = await post(trusted, {"query": FREE_TEXT}, authorization)
    assert signed.json() == {"data": {"person": {"name": "Ada"}}}
    other_origin = {**authorization, "origin": "https://partner.example"}
    cross_site = await post(trusted, {"query": FREE_TEXT}, other_origin)
    assert cross_site.json() == {"data": {"person": {"name": "Ada"}}}
    by_id = await post(trusted, {"documentId": sha256(PERSON), "variables": {"id": "p3"}})
    assert by_id.json() == {"data": {"person": {"name": "Linus"}}}
    # automatic persisted queries still work for them
    text = '{ person(id: "p2") { name } }'
    apollo = {"persistedQuery": {"version": 1, "sha256Hash": sha256(text)}}
    unknown = await post(trusted, {"extensions": apollo}, authorization)
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    await post(trusted, {"query": text, "extensions": apollo}, authorization)
    remembered = await post(trusted, {"extensions": apollo}, authorization)
    assert remembered.json() == {"data": {"person": {"name": "Grace"}}}


# Without CB_TRUSTED_DOCUMENTS


async def test_without_the_setting_the_portal_runs_any_operation(untrusted: str) -> None:
    response = await post(untrusted, {"query": FREE_TEXT}, {**PORTAL, "origin": untrusted})
    assert response.json() == {"data": {"person": {"name": "Ada"}}}
    by_id = await post(untrusted, {"documentId": sha256(PERSON)}, PORTAL)
    assert by_id.status_code == 400
    assert by_id.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"
