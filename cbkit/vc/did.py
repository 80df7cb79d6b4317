"""did:web: the identifier of a public URL and its DID document listing Multikey keys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from cbkit.vc.keys import encode_public_key_multibase
from cbkit.vc.loader import DID_V1, MULTIKEY_V1


def did_web(public_url: str) -> str:
    """`https://bank.example` -> `did:web:bank.example`; a port is percent-encoded
    (`did:web:127.0.0.1%3A4000`) and a path becomes colon-separated segments."""
    parts = urlsplit(public_url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {public_url!r}")
    host = parts.hostname.lower()
    if parts.port is not None:
        host = f"{host}%3A{parts.port}"
    segments = [quote(s, safe="") for s in parts.path.split("/") if s]
    return ":".join(["did:web", host, *segments])


def key_id(did: str, number: int) -> str:
    """The verification method id of the `number`th key (1-based): `did#key-N`."""
    return f"{did}#key-{number}"


def did_document(did: str, keys: Sequence[Ed25519PublicKey]) -> dict[str, Any]:
    """The DID document listing `keys` as `did#key-1`, `did#key-2`, … in that order, each
    an assertion method. Rotation appends the new key: old keys stay listed so that the
    credentials they signed still verify."""
    if not keys:
        raise ValueError("a DID document needs at least one key")
    methods = [
        {
            "id": key_id(did, n),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": encode_public_key_multibase(key),
        }
        for n, key in enumerate(keys, start=1)
    ]
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }
