"""GET /.well-known/did.json: the issuer's did:web document, public, listing the current
and the previous credential keys, so that a credential signed with the current key
verifies with the key the served document gives; production refuses to start without
the credential key, naming CB_CREDENTIAL_KEY_FILE (cbkit/vc/issuer.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from cbkit.settings import SettingsError
from cbkit.vc import decode_public_key_multibase, encode_public_key_multibase, sign, verify
from cbkit.vc.issuer import DEV_KEY_FILE, load_issuer_keys
from gateway.app import create_app
from gateway.edge.config import ConfigError, EdgeConfig, load_gateway_settings
from gateway.tests.handwritten import SUPERGRAPH

PUBLIC_URL = "http://127.0.0.1:4000"
DID = "did:web:127.0.0.1%3A4000"


def production_issuer() -> dict[str, str]:
    """What production needs for the issuer besides CB_ENV: the address and a key."""
    pem = _private_pem(Ed25519PrivateKey.generate()).decode()
    return {"CB_PUBLIC_URL": "https://credits.example.org", "CB_CREDENTIAL_KEY": pem}


def _private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())


def _public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)


def _raw(key: Any) -> bytes:
    return bytes(key.public_bytes(Encoding.Raw, PublicFormat.Raw))


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Any]:
    """A current key file and a previous-keys file: one PEM key and one Multikey line."""
    current, older, old = (Ed25519PrivateKey.generate() for _ in range(3))
    (tmp_path / "credential.pem").write_bytes(_private_pem(current))
    (tmp_path / "previous.txt").write_text(
        _public_pem(older).decode()
        + "# retired 2026-01\n"
        + encode_public_key_multibase(old.public_key())
        + "\n"
    )
    environ = {
        "CB_ENV": "production",
        "CB_PUBLIC_URL": PUBLIC_URL,
        "CB_CREDENTIAL_KEY_FILE": str(tmp_path / "credential.pem"),
        "CB_CREDENTIAL_PREVIOUS_KEYS_FILE": str(tmp_path / "previous.txt"),
    }
    return {"environ": environ, "current": current, "older": older, "old": old}


async def _served(environ: dict[str, str]) -> httpx.Response:
    settings = load_gateway_settings(environ)
    app = create_app(SUPERGRAPH, config=EdgeConfig(issuer=settings.edge.issuer))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        return await client.get("/.well-known/did.json")


def _credential() -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:0b7a3c1e-5d1f-4f7e-9a3c-1d2e3f4a5b6c",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Certificate in Data Analysis",
        "issuer": {"id": DID, "type": ["Profile"], "name": "Credit Bank 学分银行"},
        "validFrom": "2026-03-02T09:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": f"{PUBLIC_URL}/achievements/data-analysis",
                "type": ["Achievement"],
                "name": "Data Analysis",
                "criteria": {"narrative": "Passed three courses"},
            },
        },
    }


async def test_the_document_is_the_did_web_of_the_public_url_with_every_key(
    keys: dict[str, Any],
) -> None:
    response = await _served(keys["environ"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/did+json"
    assert "max-age=" in response.headers["cache-control"]
    document = response.json()
    assert document["id"] == DID
    methods = document["verificationMethod"]
    assert [m["id"] for m in methods] == [f"{DID}#key-1", f"{DID}#key-2", f"{DID}#key-3"]
    assert {m["type"] for m in methods} == {"Multikey"}
    assert {m["controller"] for m in methods} == {DID}
    assert document["assertionMethod"] == [m["id"] for m in methods]
    listed = [_raw(decode_public_key_multibase(m["publicKeyMultibase"])) for m in methods]
    # previous keys first, in the file's order; the current key last
    assert listed == [_raw(keys[k].public_key()) for k in ("older", "old", "current")]


async def test_a_credential_signed_with_the_current_key_verifies_with_the_served_key(
    keys: dict[str, Any],
) -> None:
    issuer = load_issuer_keys(keys["environ"])
    signed = sign(
        _credential(),
        issuer.signing_key,
        issuer.verification_method,
        datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
    )
    document = (await _served(keys["environ"])).json()
    method_id = signed["proof"]["verificationMethod"]
    assert method_id.split("#")[0] == document["id"]
    (method,) = [m for m in document["verificationMethod"] if m["id"] == method_id]
    served_key = decode_public_key_multibase(method["publicKeyMultibase"])
    assert verify(signed, served_key).verified
    # a previous key the document lists does not verify it
    older = document["verificationMethod"][0]
    assert not verify(signed, decode_public_key_multibase(older["publicKeyMultibase"])).verified


async def test_the_port_is_percent_encoded_and_a_path_becomes_segments(
    keys: dict[str, Any],
) -> None:
    environ = keys["environ"] | {"CB_PUBLIC_URL": "https://bank.example/alliance/"}
    document = (await _served(environ)).json()
    assert document["id"] == "did:web:bank.example:alliance"


def test_production_without_the_credential_key_refuses_to_start_naming_it(
    keys: dict[str, Any],
) -> None:
    environ = dict(keys["environ"])
    del environ["CB_CREDENTIAL_KEY_FILE"]
    with pytest.raises(ConfigError, match="CB_CREDENTIAL_KEY_FILE"):
        load_gateway_settings(environ)
    del environ["CB_PUBLIC_URL"]
    with pytest.raises(SettingsError, match="CB_PUBLIC_URL"):
        load_issuer_keys(
            environ | {"CB_CREDENTIAL_KEY_FILE": keys["environ"]["CB_CREDENTIAL_KEY_FILE"]}
        )


def test_a_bad_key_file_is_refused_by_name(keys: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "bad.pem").write_text("change-me")
    with pytest.raises(SettingsError, match="CB_CREDENTIAL_KEY_FILE"):
        load_issuer_keys(keys["environ"] | {"CB_CREDENTIAL_KEY_FILE": str(tmp_path / "bad.pem")})
    (tmp_path / "bad.txt").write_text("zNotAKey\n")
    with pytest.raises(SettingsError, match="CB_CREDENTIAL_PREVIOUS_KEYS_FILE"):
        load_issuer_keys(
            keys["environ"] | {"CB_CREDENTIAL_PREVIOUS_KEYS_FILE": str(tmp_path / "bad.txt")}
        )


def test_development_generates_its_own_key_once_into_the_dev_keys_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = load_issuer_keys({"CB_ENV": "development"})
    again = load_issuer_keys({"CB_ENV": "development"})
    assert first.did == DID
    assert (tmp_path / DEV_KEY_FILE).exists()
    assert _raw(first.signing_key.public_key()) == _raw(again.signing_key.public_key())
    assert first.verification_method == f"{DID}#key-1"


def test_the_key_may_be_given_inline_as_compose_gives_it(keys: dict[str, Any]) -> None:
    pem = _private_pem(keys["current"]).decode().replace("\n", "\\n")
    environ = dict(keys["environ"])
    del environ["CB_CREDENTIAL_KEY_FILE"]
    issuer = load_issuer_keys(environ | {"CB_CREDENTIAL_KEY": pem})
    assert _raw(issuer.signing_key.public_key()) == _raw(keys["current"].public_key())
    assert issuer.verification_method == f"{DID}#key-3"
