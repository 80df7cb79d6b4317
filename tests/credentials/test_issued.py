"""What the running system issues, checked by a verifier we did not write: Digital
Bazaar's (tests/credentials/verifier/verify.mjs) resolves our did:web from the running
gateway (`--resolve-from`) and fetches the live status list from it. The reference
story's certificate (OB 3.0) and transcript (CLR 2.0), fetched through the gateway as
the learner, as the institution she consented to and (the certificate) by its public
share link, verify; one changed character, a proof from another key and, once an admin
revokes a conversion, the revoked credentials do not. Our own `verifyCredential`, asked
anonymously through the gateway, gives the same verdict on each document. A system
restarted with a rotated key still has what the old key signed verified.

First, `--resolve-from` itself against a small loopback server: what it fetches, and
what it still refuses."""

from __future__ import annotations

import asyncio
import copy
import json
import subprocess
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from cbkit.testing import RunningSystem, TestStack, eventually, gql
from cbkit.vc import did_document, did_web, sign
from cbkit.vc.status import status_entry, status_list_credential
from services.conversion.tests.test_credentials_documents import CLR, OB
from services.conversion.tests.test_credentials_documents import errors as schema_errors
from tests.credentials import story
from tests.credentials.examples import EXAMPLES
from tests.credentials.test_proofs import badge
from tests.credentials.third_party import VERIFIER, digital_bazaar

CREATED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


class Origin:
    """A loopback HTTP server answering GET with the JSON put in `documents` by path."""

    def __init__(self) -> None:
        documents: dict[str, Any] = {}
        self.documents = documents

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                found = documents.get(self.path)
                body = json.dumps(found).encode()
                self.send_response(200 if found is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.did = did_web(self.url)


@pytest.fixture(scope="module")
def origin() -> Iterator[Origin]:
    served = Origin()
    thread = threading.Thread(target=served.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.server.shutdown()
        served.server.server_close()


def issued_by(origin: Origin, key: Ed25519PrivateKey, revoked: set[int]) -> dict[str, Any]:
    """A badge issued by `origin`'s did:web with a status entry in its list 1, the DID
    document and the list (bits `revoked` set) served by `origin`."""
    list_url = f"{origin.url}/credentials/status/1"
    origin.documents["/.well-known/did.json"] = did_document(origin.did, [key.public_key()])
    origin.documents["/credentials/status/1"] = sign(
        status_list_credential(list_url, origin.did, revoked, CREATED),
        key,
        f"{origin.did}#key-1",
        CREATED,
    )
    document = badge()
    document["issuer"]["id"] = origin.did
    document["credentialStatus"] = status_entry(list_url, 7)
    return sign(document, key, f"{origin.did}#key-1", CREATED)


def test_resolve_from_fetches_the_did_document_and_status_list_of_that_origin(origin):
    key = Ed25519PrivateKey.generate()
    credential = issued_by(origin, key, {6, 8})
    assert digital_bazaar(credential, "--resolve-from", origin.url) == {
        "verified": True,
        "errors": [],
        "status": [{"statusPurpose": "revocation", "statusListIndex": "7", "set": False}],
    }
    credential = issued_by(origin, key, {7})
    verdict = digital_bazaar(credential, "--resolve-from", origin.url)
    assert verdict["verified"] is False
    assert verdict["errors"] == [
        f"Credential is revoked (status list {origin.url}/credentials/status/1, index 7)."
    ]


def test_resolve_from_a_did_web_with_a_path(origin):
    key = Ed25519PrivateKey.generate()
    did = did_web(f"{origin.url}/alliance/one")
    origin.documents["/alliance/one/did.json"] = did_document(did, [key.public_key()])
    document = badge()
    document["issuer"]["id"] = did
    credential = sign(document, key, f"{did}#key-1", CREATED)
    assert digital_bazaar(credential, "--resolve-from", origin.url)["verified"] is True


def test_resolve_from_refuses_every_other_url(origin, tmp_path):
    key = Ed25519PrivateKey.generate()
    credential = issued_by(origin, key, set())
    # Another port's did:web is not fetched, even on the same host.
    elsewhere = did_web("http://127.0.0.1:9")
    document = badge()
    document["issuer"]["id"] = elsewhere
    verdict = digital_bazaar(
        sign(document, key, f"{elsewhere}#key-1", CREATED), "--resolve-from", origin.url
    )
    assert verdict["verified"] is False
    assert f"document not served by the verifier: {elsewhere}#key-1" in verdict["errors"]
    # Nor a status list published at another origin.
    moved = copy.deepcopy(credential)
    del moved["proof"]
    moved["credentialStatus"] = status_entry("http://127.0.0.1:9/credentials/status/1", 7)
    verdict = digital_bazaar(
        sign(moved, key, f"{origin.did}#key-1", CREATED), "--resolve-from", origin.url
    )
    assert verdict["verified"] is False
    assert any("http://127.0.0.1:9/credentials/status/1" in e for e in verdict["errors"])
    # From that origin, only status lists: not a context, say (this one, defining a term
    # the credential does not use, would leave the proof holding).
    origin.documents["/context.json"] = {"@context": {"grade": "https://bank.example/grade"}}
    document = copy.deepcopy(credential)
    document["@context"].append(f"{origin.url}/context.json")
    verdict = digital_bazaar(document, "--resolve-from", origin.url)
    assert verdict["verified"] is False
    assert any(f'URL: "{origin.url}/context.json"' in e for e in verdict["errors"]), verdict
    # Without the option nothing is fetched: the DID document file is needed.
    did_file = tmp_path / "did.json"
    did_file.write_text(json.dumps(did_document(origin.did, [key.public_key()])))
    verdict = digital_bazaar(credential, did_file=did_file)
    assert verdict["verified"] is False
    assert any(f"{origin.url}/credentials/status/1" in e for e in verdict["errors"])


def test_resolve_from_checks_the_served_did_document_is_the_dids(origin):
    key = Ed25519PrivateKey.generate()
    credential = issued_by(origin, key, set())
    origin.documents["/.well-known/did.json"] = did_document(
        did_web("https://bank.example"), [key.public_key()]
    )
    verdict = digital_bazaar(credential, "--resolve-from", origin.url)
    assert verdict["verified"] is False
    assert any("is did:web:bank.example's, not" in e for e in verdict["errors"]), verdict


@pytest.mark.parametrize(
    "bad",
    ["http://bank.example", "https://bank.example/path", "did:web:bank.example", ""],
)
def test_resolve_from_takes_an_https_origin_or_http_on_loopback(bad):
    run = subprocess.run(
        ["node", str(VERIFIER / "verify.mjs"), "--resolve-from", bad, "-"],
        input="{}",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "--resolve-from" in run.stderr


# The running system: the reference story's credentials, fetched through the gateway.

VERIFY = """query($c: JSON!) { verifyCredential(credential: $c) {
  verified proofValid issuer issuerName issuedByThisBank status errors } }"""
CREDENTIALS = """query($id: ID!) { account(id: $id) { transcriptCredential
  certificates { serial credential credentialUrl } } }"""


@dataclass(frozen=True)
class Issued:
    """The story's credentials as the teacher fetched them, before any revocation."""

    certificate: dict[str, Any]
    share_link: str
    transcript: dict[str, Any]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def gateway(running_system: RunningSystem) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=running_system.url("gateway"), timeout=60) as http:
        yield http


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def told(running_system: RunningSystem, gateway: httpx.AsyncClient) -> story.Told:
    env = running_system.env
    return await story.tell(gateway, env["CB_ADMIN_EMAIL"], env["CB_ADMIN_PASSWORD"])


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def issued(told: story.Told, gateway: httpx.AsyncClient) -> Issued:
    mine = await story.ok(gateway, CREDENTIALS, {"id": told.teacher_id}, told.teacher)
    [certificate] = mine["account"]["certificates"]
    return Issued(
        certificate["credential"],
        certificate["credentialUrl"],
        mine["account"]["transcriptCredential"],
    )


async def verdicts(
    gateway: httpx.AsyncClient, document: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Digital Bazaar's verdict (resolving our did:web and status lists from the gateway)
    and our `verifyCredential`'s, asked anonymously through the gateway; the same."""
    theirs = await asyncio.to_thread(
        digital_bazaar, document, "--resolve-from", str(gateway.base_url).rstrip("/")
    )
    ours = (await story.ok(gateway, VERIFY, {"c": document}))["verifyCredential"]
    assert theirs["verified"] is ours["verified"], (theirs, ours)
    return theirs, ours


def changed_subject(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with one character of its subject's (first) achievement's name changed."""
    changed = copy.deepcopy(document)
    achievement = changed["credentialSubject"]["achievement"]
    if isinstance(achievement, list):
        achievement = achievement[0]
    name = achievement["name"]
    achievement["name"] = name[:-1] + ("x" if name[-1] != "x" else "y")
    return changed


def other_key_proof(document: dict[str, Any]) -> dict[str, Any]:
    """`document` signed anew with a fresh key, the proof naming our verification method."""
    proof = document["proof"]
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    created = datetime.fromisoformat(proof["created"])
    return sign(unsigned, Ed25519PrivateKey.generate(), proof["verificationMethod"], created)


def status_of(document: dict[str, Any], revoked: bool) -> list[dict[str, Any]]:
    entry = document["credentialStatus"]
    return [
        {"statusPurpose": "revocation", "statusListIndex": entry["statusListIndex"], "set": revoked}
    ]


async def test_the_learner_the_institution_and_the_share_link_give_the_same_documents(
    running_system: RunningSystem, gateway: httpx.AsyncClient, told: story.Told, issued: Issued
):
    origin = running_system.url("gateway")
    did = did_web(origin)
    certificate, transcript = issued.certificate, issued.transcript
    assert certificate["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert transcript["type"] == ["VerifiableCredential", "ClrCredential"]
    assert certificate["issuer"]["id"] == transcript["issuer"]["id"] == did
    assert certificate["proof"]["verificationMethod"].startswith(f"{did}#key-")
    # Valid by 1EdTech's published JSON Schemas, as issued (proof and status included).
    assert schema_errors(OB, certificate) == []
    assert schema_errors(CLR, transcript) == []
    published = (await gateway.get("/.well-known/did.json")).json()
    assert published["id"] == did

    # The university she consented to reads the same documents.
    theirs = await story.ok(gateway, CREDENTIALS, {"id": told.teacher_id}, told.university)
    assert theirs["account"]["transcriptCredential"] == transcript
    assert [c["credential"] for c in theirs["account"]["certificates"]] == [certificate]

    # Anyone with the share link gets the certificate's credential, no token needed.
    assert issued.share_link.startswith(f"{origin}/credentials/")
    assert certificate["id"] == issued.share_link
    shared = await gateway.get(issued.share_link.removeprefix(origin))
    assert shared.status_code == 200
    assert shared.headers["content-type"].startswith("application/json")
    assert shared.json() == certificate
    unknown = await gateway.get(f"/credentials/{uuid.uuid4()}")
    assert unknown.status_code == 404


def shape(value: Any, at: str = "") -> set[str]:
    """The paths of a JSON document's keys (a list's items all at `[]`), but for a
    `validUntil`: a conversion's credential has one only when its rule lets the credits
    expire, which depends on the catalog the running system holds when the story runs."""
    if isinstance(value, dict):
        return {at} | {
            p for k, v in value.items() if k != "validUntil" for p in shape(v, f"{at}.{k}")
        }
    if isinstance(value, list):
        return {at} | {p for item in value for p in shape(item, f"{at}[]")}
    return {at}


async def test_the_committed_examples_have_the_shape_of_what_the_system_issues(
    gateway: httpx.AsyncClient, issued: Issued
):
    """docs/credentials/ was made by `python -m tests.credentials.examples` from the same
    story: when this fails, what the bank issues changed; make the examples anew."""
    status_list = await gateway.get(issued.certificate["credentialStatus"]["statusListCredential"])
    now = {
        "certificate.json": issued.certificate,
        "transcript.json": issued.transcript,
        "status-list.json": status_list.json(),
        "did.json": (await gateway.get("/.well-known/did.json")).json(),
    }
    for name, document in now.items():
        committed = json.loads((EXAMPLES / name).read_text())
        assert shape(committed) == shape(document), name


@pytest.mark.parametrize("kind", ["certificate", "transcript"])
async def test_digital_bazaar_and_verify_credential_accept_what_the_bank_issued(
    running_system: RunningSystem, gateway: httpx.AsyncClient, issued: Issued, kind: str
):
    document = getattr(issued, kind)
    theirs, ours = await verdicts(gateway, document)
    assert theirs == {"verified": True, "errors": [], "status": status_of(document, False)}
    assert ours == {
        "verified": True,
        "proofValid": True,
        "issuer": did_web(running_system.url("gateway")),
        "issuerName": "学分银行 / Credit Bank",
        "issuedByThisBank": True,
        "status": "ACTIVE",
        "errors": [],
    }


@pytest.mark.parametrize("kind", ["certificate", "transcript"])
@pytest.mark.parametrize("change", [changed_subject, other_key_proof], ids=lambda f: f.__name__)
async def test_a_changed_character_or_another_keys_proof_is_rejected_by_both(
    gateway: httpx.AsyncClient, issued: Issued, kind: str, change: Any
):
    document = change(getattr(issued, kind))
    theirs, ours = await verdicts(gateway, document)
    assert theirs["verified"] is False
    assert theirs["errors"] == ["Invalid signature."]
    assert (ours["verified"], ours["proofValid"]) == (False, False)
    method = document["proof"]["verificationMethod"]
    assert ours["errors"] == [f"the signature does not match the credential and the key {method}"]


async def test_after_a_conversion_is_revoked_both_reject_the_certificate_and_the_transcript(
    gateway: httpx.AsyncClient, told: story.Told, issued: Issued
):
    """Last in this module: it revokes the conversion the others' documents hold."""
    await story.ok(
        gateway,
        'mutation($id: ID!) { revokeConversion(id: $id, reason: "issuer withdrew it") { status } }',
        {"id": told.conversions["PE-CGADO"]},
        told.admin,
    )

    async def both_revoked() -> bool:
        for document in (issued.certificate, issued.transcript):
            ours = (await story.ok(gateway, VERIFY, {"c": document}))["verifyCredential"]
            if ours["status"] != "REVOKED":
                return False
        return True

    await eventually(both_revoked, within=30)
    for document in (issued.certificate, issued.transcript):
        theirs, ours = await verdicts(gateway, document)
        entry = document["credentialStatus"]
        assert theirs == {
            "verified": False,
            "errors": [
                f"Credential is revoked (status list {entry['statusListCredential']},"
                f" index {entry['statusListIndex']})."
            ],
            "status": status_of(document, True),
        }
        assert (ours["verified"], ours["proofValid"], ours["status"]) == (False, True, "REVOKED")
        assert ours["errors"] == ["the issuer has revoked this credential"]
    in_chinese = await gql(
        gateway, VERIFY, {"c": issued.certificate}, headers={"Accept-Language": "zh-CN"}
    )
    assert in_chinese["data"]["verifyCredential"]["errors"] == ["签发者已撤销此凭证"]

    # Her transcript now is a new document, without the revoked credits, and it verifies.
    mine = await story.ok(gateway, CREDENTIALS, {"id": told.teacher_id}, told.teacher)
    [certificate] = mine["account"]["certificates"]
    assert certificate["credential"] == issued.certificate  # the same, now revoked
    transcript = mine["account"]["transcriptCredential"]
    assert transcript["id"] != issued.transcript["id"]
    courses = [
        a["humanCode"]
        for a in transcript["credentialSubject"]["achievement"]
        if a["achievementType"] == "Course"
    ]
    assert courses == ["PE-TRWM"]
    theirs, ours = await verdicts(gateway, transcript)
    assert theirs == {"verified": True, "errors": [], "status": status_of(transcript, False)}
    assert ours["status"] == "ACTIVE"


SIGNERS = ("conversion", "gateway")
"""The processes that read the credential keys: conversion signs, the gateway serves the
DID document."""


@pytest.mark.timeout(240)  # a start of a whole system, the story and a restart
async def test_a_rotated_key_keeps_what_it_signed_verifiable(stack: TestStack, tmp_path: Path):
    """A system of its own whose signers are restarted with a new credential key and the
    old one's public half in CB_CREDENTIAL_PREVIOUS_KEYS_FILE: its DID document lists
    both, what the old key signed still verifies, and what is signed now names the new
    key."""
    system = RunningSystem(stack, namespace="rotation")
    origin = system.url("gateway")
    async with httpx.AsyncClient(base_url=origin, timeout=60) as gateway:
        try:
            await system.start()
            told = await story.tell(
                gateway, system.env["CB_ADMIN_EMAIL"], system.env["CB_ADMIN_PASSWORD"]
            )
            before = await story.ok(gateway, CREDENTIALS, {"id": told.teacher_id}, told.teacher)
            [certificate] = before["account"]["certificates"]
            await system.stop(SIGNERS)

            previous = tmp_path / "previous-keys.pem"
            previous.write_bytes(
                stack.credential_key.public_key().public_bytes(
                    Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
                )
            )
            new_key = tmp_path / "credential-2.pem"
            new_key.write_bytes(
                Ed25519PrivateKey.generate().private_bytes(
                    Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
                )
            )
            system.env["CB_CREDENTIAL_KEY_FILE"] = str(new_key)
            system.env["CB_CREDENTIAL_PREVIOUS_KEYS_FILE"] = str(previous)
            await system.start(SIGNERS)

            did = (await gateway.get("/.well-known/did.json")).json()
            assert did["assertionMethod"] == [f"{did['id']}#key-1", f"{did['id']}#key-2"]
            old = certificate["credential"]
            assert old["proof"]["verificationMethod"] == f"{did['id']}#key-1"
            theirs, ours = await verdicts(gateway, old)
            assert (theirs["verified"], ours["status"]) == (True, "ACTIVE"), (theirs, ours)

            # A change signs a new transcript (and the status list anew) with key-2; the
            # old certificate, now revoked, is read against a list key-2 signed.
            await story.ok(
                gateway,
                'mutation($id: ID!) { revokeConversion(id: $id, reason: "issuer withdrew it")'
                " { status } }",
                {"id": told.conversions["PE-CGADO"]},
                told.admin,
            )
            after = await story.ok(gateway, CREDENTIALS, {"id": told.teacher_id}, told.teacher)
            transcript = after["account"]["transcriptCredential"]
            assert transcript["proof"]["verificationMethod"] == f"{did['id']}#key-2"
            theirs, ours = await verdicts(gateway, transcript)
            assert (theirs["verified"], ours["status"]) == (True, "ACTIVE"), (theirs, ours)
            theirs, ours = await verdicts(gateway, old)
            assert theirs["status"] == status_of(old, True)
            assert ours["status"] == "REVOKED"
        finally:
            await system.stop()
