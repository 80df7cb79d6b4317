"""cbkit.vc.status: the W3C Bitstring Status List (its encoding, bit order and minimum
length), the status list credential and the entry; and the third-party check: Digital
Bazaar's verifier with @digitalbazaar/vc-bitstring-status-list reads the status list
credential we signed and accepts a credential whose bit is clear, rejects it (revoked)
when its bit is set."""

from __future__ import annotations

import base64
import copy
import gzip
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cbkit.vc import did_document, sign, verify
from cbkit.vc.status import (
    MIN_LENGTH,
    decode,
    encode,
    is_set,
    status_entry,
    status_list_credential,
)
from tests.credentials import third_party
from tests.credentials.test_proofs import CREATED, DID, PUBLIC_URL, badge

LIST_URL = f"{PUBLIC_URL}/credentials/status/1"
INDEX = 94_567
VALID_FROM = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_encode_decode_round_trip():
    for bits in [set(), {0}, {7, 8, INDEX}, {MIN_LENGTH - 1}, set(range(0, MIN_LENGTH, 97))]:
        encoded = encode(bits)
        assert encoded.startswith("u")
        assert "=" not in encoded and "+" not in encoded and "/" not in encoded
        raw = decode(encoded)
        assert len(raw) == MIN_LENGTH // 8
        assert {i for i in range(MIN_LENGTH) if is_set(raw, i)} == bits
        # the encoded list itself answers the same (decoded once a question)
        for i in {0, 1, MIN_LENGTH - 1, *list(bits)[:50], *(b + 1 for b in list(bits)[:50])}:
            if i < MIN_LENGTH:
                assert is_set(encoded, i) is (i in bits), i
        assert encode(raw) == encoded  # bytes in, the same encoding out
    longer = encode({MIN_LENGTH + 5}, length=2 * MIN_LENGTH)
    assert len(decode(longer)) == 2 * MIN_LENGTH // 8
    assert is_set(longer, MIN_LENGTH + 5)


def test_the_encoding_is_gzip_then_base64url_with_multibase_u():
    encoded = encode({3})
    compressed = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    raw = gzip.decompress(compressed)
    assert raw == b"\x10" + bytes(MIN_LENGTH // 8 - 1)
    assert encode({3}) == encoded  # deterministic: no timestamp in the GZIP header


def test_index_0_is_the_left_most_bit_of_the_first_byte():
    raw = decode(encode({0, 9, 15}))
    assert raw[0] == 0b1000_0000
    assert raw[1] == 0b0100_0001
    assert raw[2:] == bytes(len(raw) - 2)
    handmade = bytearray(MIN_LENGTH // 8)
    handmade[0] = 0b0000_0001  # the right-most bit of byte 0 is index 7, not 0
    assert is_set(encode(bytes(handmade)), 7)
    assert not is_set(encode(bytes(handmade)), 0)


def test_the_minimum_length_is_enforced():
    with pytest.raises(ValueError, match="131072"):
        encode({1}, length=MIN_LENGTH - 8)
    with pytest.raises(ValueError, match="131072"):
        encode(bytes(MIN_LENGTH // 8 - 1))
    short = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(1024))).decode().rstrip("=")
    with pytest.raises(ValueError, match="at least 131072"):
        decode(short)
    with pytest.raises(ValueError):
        encode({MIN_LENGTH})
    with pytest.raises(ValueError):
        encode({-1})
    with pytest.raises(ValueError):
        decode("unot-gzip")
    with pytest.raises(IndexError):
        is_set(encode(set()), MIN_LENGTH)


def test_status_list_credential_and_entry_shapes():
    document = status_list_credential(LIST_URL, DID, [INDEX], VALID_FROM)
    assert document == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": LIST_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": DID,
        "validFrom": "2026-03-02T09:00:00Z",
        "credentialSubject": {
            "id": f"{LIST_URL}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode({INDEX}),
        },
    }
    assert status_entry(LIST_URL, INDEX) == {
        "id": f"{LIST_URL}#{INDEX}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": LIST_URL,
    }
    with pytest.raises(ValueError):
        status_entry(LIST_URL, -1)


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def badge_with_status() -> dict[str, Any]:
    document = badge()
    document["credentialStatus"] = status_entry(LIST_URL, INDEX)
    return document


def signed_list(key: Ed25519PrivateKey, revoked: set[int]) -> dict[str, Any]:
    return sign(
        status_list_credential(LIST_URL, DID, revoked, VALID_FROM), key, f"{DID}#key-1", CREATED
    )


def digital_bazaar(
    credential: dict[str, Any],
    key: Ed25519PrivateKey,
    status_list: dict[str, Any] | None,
    tmp_path: Path,
) -> dict[str, Any]:
    """Digital Bazaar's verdict, the issuer's key `key` and LIST_URL serving `status_list`
    (None: nothing served there)."""
    served = {LIST_URL: status_list} if status_list is not None else {}
    return third_party.verdict_offline(
        credential, did_document(DID, [key.public_key()]), tmp_path, served
    )


def test_signed_status_list_credential_verifies_by_us(key):
    signed = signed_list(key, {INDEX})
    ours = verify(signed, key.public_key())
    assert ours.verified, ours.errors


def test_digital_bazaar_verifies_a_credential_whose_bit_is_clear(key, tmp_path):
    credential = sign(badge_with_status(), key, f"{DID}#key-1", CREATED)
    assert verify(credential, key.public_key()).verified
    others_revoked = signed_list(key, {0, INDEX - 1, INDEX + 1})
    verdict = digital_bazaar(credential, key, others_revoked, tmp_path)
    assert verdict == {
        "verified": True,
        "errors": [],
        "status": [{"statusPurpose": "revocation", "statusListIndex": "94567", "set": False}],
    }


def test_digital_bazaar_rejects_a_revoked_credential(key, tmp_path):
    credential = sign(badge_with_status(), key, f"{DID}#key-1", CREATED)
    verdict = digital_bazaar(credential, key, signed_list(key, {INDEX}), tmp_path)
    assert verdict["verified"] is False
    assert verdict["status"] == [
        {"statusPurpose": "revocation", "statusListIndex": "94567", "set": True}
    ]
    assert verdict["errors"] == [f"Credential is revoked (status list {LIST_URL}, index {INDEX})."]


def test_digital_bazaar_rejects_a_status_list_not_signed_by_the_issuer(key, tmp_path):
    credential = sign(badge_with_status(), key, f"{DID}#key-1", CREATED)
    forged = signed_list(Ed25519PrivateKey.generate(), set())
    verdict = digital_bazaar(credential, key, forged, tmp_path)
    assert verdict["verified"] is False
    assert any("not verified" in e for e in verdict["errors"]), verdict
    tampered = copy.deepcopy(signed_list(key, {INDEX}))
    tampered["credentialSubject"]["encodedList"] = encode(set())
    verdict = digital_bazaar(credential, key, tampered, tmp_path)
    assert verdict["verified"] is False


def test_digital_bazaar_rejects_a_status_it_cannot_fetch(key, tmp_path):
    credential = sign(badge_with_status(), key, f"{DID}#key-1", CREATED)
    verdict = digital_bazaar(credential, key, None, tmp_path)
    assert verdict["verified"] is False
    assert any("Could not load" in e for e in verdict["errors"]), verdict
