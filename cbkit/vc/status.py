"""W3C Bitstring Status List (revocation): the bitstring, its `encodedList`, the status
list credential and the entry a credential carries in `credentialStatus`.

- The bitstring is at least 131,072 bits (16 KiB) long, so that one credential's index
  says little about whom it belongs to; index 0 is the left-most (most significant) bit
  of the first byte, index 8 the left-most of the second.
- `encodedList` is the bitstring GZIP-compressed, then base64url without padding, with the
  multibase prefix `u`.
- The status list credential is a VC Data Model 2.0 document whose terms are all in the
  W3C credentials v2 context (`BitstringStatusListCredential`, `BitstringStatusList`,
  `statusPurpose`, `encodedList`), so `cbkit.vc.proof.sign` signs it as it is.

Pure plumbing: the services decide which index a credential gets and which bits are set.
"""

from __future__ import annotations

import base64
import binascii
import gzip
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

MIN_LENGTH = 131_072
STATUS_PURPOSE = "revocation"
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"


def _bitstring(bits: Iterable[int], length: int) -> bytes:
    buffer = bytearray(length // 8)
    for index in bits:
        if not isinstance(index, int) or isinstance(index, bool):
            raise TypeError(f"a status index is an int, not {index!r}")
        if not 0 <= index < length:
            raise ValueError(f"status index {index} is outside 0..{length - 1}")
        buffer[index // 8] |= 0x80 >> (index % 8)
    return bytes(buffer)


def encode(bits: set[int] | bytes, length: int = MIN_LENGTH) -> str:
    """`encodedList` for a bitstring: either the set indexes (of a list of `length` bits)
    or the bitstring itself as bytes (index 0 = the top bit of byte 0)."""
    if isinstance(bits, (bytes, bytearray)):
        raw = bytes(bits)
    else:
        if length < MIN_LENGTH or length % 8:
            raise ValueError(
                f"a status list is a multiple of 8 bits, at least {MIN_LENGTH}: not {length}"
            )
        raw = _bitstring(bits, length)
    if len(raw) * 8 < MIN_LENGTH:
        raise ValueError(f"a status list is at least {MIN_LENGTH} bits: not {len(raw) * 8}")
    # mtime=0: the same list always encodes (and so signs) the same.
    compressed = gzip.compress(raw, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode(encoded: str) -> bytes:
    """The bitstring of an `encodedList` (multibase base64url `u…`, or without the prefix
    as the spec's earlier drafts wrote it); refused below the minimum length."""
    if not isinstance(encoded, str) or not encoded:
        raise ValueError("encodedList is a non-empty string")
    text = encoded[1:] if encoded.startswith("u") else encoded
    try:
        compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        raw = gzip.decompress(compressed)
    except (binascii.Error, OSError, EOFError) as error:
        raise ValueError(f"encodedList is not GZIP in base64url: {error}") from error
    if len(raw) * 8 < MIN_LENGTH:
        raise ValueError(f"a status list is at least {MIN_LENGTH} bits: not {len(raw) * 8}")
    return raw


def is_set(encoded: str | bytes, index: int) -> bool:
    """Whether bit `index` is set in an `encodedList` (or an already decoded bitstring)."""
    raw = decode(encoded) if isinstance(encoded, str) else encoded
    if not 0 <= index < len(raw) * 8:
        raise IndexError(f"status index {index} is outside 0..{len(raw) * 8 - 1}")
    return bool(raw[index // 8] & (0x80 >> (index % 8)))


def _timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("validFrom needs a timezone")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def status_list_credential(
    list_url: str,
    issuer_did: str,
    revoked_indexes: Iterable[int],
    valid_from: datetime,
    length: int = MIN_LENGTH,
) -> dict[str, Any]:
    """The (unsigned) BitstringStatusListCredential published at `list_url`, its bits
    set at `revoked_indexes`; sign it with `cbkit.vc.proof.sign`."""
    return {
        "@context": [VC_V2_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": _timestamp(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": encode(set(revoked_indexes), length),
        },
    }


def status_entry(list_url: str, index: int) -> dict[str, Any]:
    """The `credentialStatus` of the credential at `index` of the list at `list_url`."""
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise ValueError(f"a status index is a non-negative int, not {index!r}")
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": STATUS_PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }
