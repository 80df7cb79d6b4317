"""What the running system issues, checked by a verifier we did not write: Digital
Bazaar's (tests/credentials/verifier/verify.mjs) resolves our did:web from the running
gateway (`--resolve-from`) and fetches the live status list from it. The reference
story's certificate (OB 3.0) and transcript (CLR 2.0), fetched through the gateway as
the learner, as the institution she consented to and (the certificate) by its public
share link, verify; one changed character, a proof from another key and, once an admin
revokes a conversion, the revoked credentials do not. Our own `verifyCredential`, asked
anonymously through the gateway, gives the same verdict on each document.

First, `--resolve-from` itself against a small loopback server: what it fetches, and
what it still refuses."""

from __future__ import annotations

import copy
import json
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cbkit.vc import did_document, did_web, sign
from cbkit.vc.status import status_entry, status_list_credential
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
