"""Data Integrity proofs, cryptosuite `eddsa-rdfc-2022` (W3C vc-di-eddsa):

- proof options {type: DataIntegrityProof, cryptosuite, created, verificationMethod,
  proofPurpose: assertionMethod}; the proof configuration is those options with the
  document's `@context`;
- the document (without its proof) and the proof configuration are each canonicalized
  with RDF Dataset Canonicalization (pyld's URDNA2015, N-Quads);
- the data signed is sha256(proof configuration) || sha256(document), with Ed25519;
- `proofValue` is the signature in multibase base58-btc (`z…`).

pyld drops a term its contexts do not define; here that is an error naming the term
(`UnknownTermError`): the document is expanded once more with a sentinel `@vocab`
underneath its own contexts, and any IRI that fell through to it is a term nobody
defined. Relative IRIs, which canonicalization would drop too, are refused the same way.

pyld 3.3's N-Quads writer escapes only \\, ", tab, LF and CR, where RDFC-1.0's canonical
N-Quads (and Digital Bazaar's rdf-canonize) also escape BS and FF (\\b, \\f) and write the
other C0 controls and DEL as \\u00XX: a document holding one of those would canonicalize
differently here than for any other verifier, so such text is refused
(`UnsupportedTextError`) rather than signed into a proof nobody else can check.
"""

from __future__ import annotations

import copy
import hashlib
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from pyld import jsonld  # type: ignore[import-untyped]

from cbkit.vc.keys import multibase_decode, multibase_encode
from cbkit.vc.loader import load_document

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
PROOF_PURPOSE = "assertionMethod"

_SENTINEL = "urn:cbkit:vc:undefined-term:"
_PYLD = threading.Lock()
"""pyld keeps its processed contexts in process-wide caches (cachetools LRU caches) that
are not thread-safe: two canonicalizations in two threads at once (a credential signed
in one while another is verified) corrupt them (KeyError on eviction). Canonicalizations
take turns; the GIL would run them one at a time anyway."""
_KEYWORD_VALUES = ("@id", "@type")
# Control characters that pyld 3.3 writes raw and RDFC-1.0 escapes (see the module's doc).
_MISCANONICALIZED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class UnknownTermError(ValueError):
    """The document uses terms (or types) that none of its contexts define, or IRIs that
    are not absolute: pyld would drop them silently, so they would not be signed."""

    def __init__(self, terms: list[str]) -> None:
        super().__init__(
            "terms not defined by the document's @context (they would not be signed): "
            + ", ".join(terms)
        )
        self.terms = terms


class UnsupportedTextError(ValueError):
    """Text holding a control character that pyld does not canonicalize as RDFC-1.0 does."""

    def __init__(self, where: str, char: str) -> None:
        super().__init__(
            f"{where or 'the document'} holds control character U+{ord(char):04X}, which "
            "cannot be canonicalized interoperably here"
        )
        self.where = where


def _check_text(value: Any, where: str = "") -> None:
    if isinstance(value, str):
        found = _MISCANONICALIZED.search(value)
        if found:
            raise UnsupportedTextError(where, found.group())
    elif isinstance(value, list):
        for item in value:
            _check_text(item, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, where)
            _check_text(item, f"{where}.{key}" if where else str(key))


@dataclass(frozen=True)
class Verdict:
    verified: bool
    errors: list[str] = field(default_factory=list)
    verification_method: str | None = None


def _options() -> dict[str, Any]:
    return {"documentLoader": load_document}


def _strange_iris(node: Any, where: str) -> Iterator[str]:
    """Terms that fell through to the sentinel @vocab, and IRIs that are not absolute,
    anywhere in an expanded document."""
    if isinstance(node, list):
        for item in node:
            yield from _strange_iris(item, where)
        return
    if not isinstance(node, dict):
        return
    if "@value" in node:
        return  # a literal (including @json): nothing inside is JSON-LD
    for key, value in node.items():
        if key.startswith(_SENTINEL):
            yield f"{where}{key.removeprefix(_SENTINEL)}"
        if key in _KEYWORD_VALUES:
            for iri in value if isinstance(value, list) else [value]:
                if not isinstance(iri, str):
                    continue
                if iri.startswith(_SENTINEL):
                    yield f"{where}{key} {iri.removeprefix(_SENTINEL)!r}"
                elif ":" not in iri:
                    yield f"{where}{key} {iri!r} (not an absolute IRI)"
        else:
            inner = key.removeprefix(_SENTINEL).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            yield from _strange_iris(
                value, f"{where}{inner}." if not key.startswith("@") else where
            )


def _expand_checked(document: dict[str, Any]) -> list[Any]:
    """The expanded document, or UnknownTermError naming each term expansion would drop."""
    options = _options()
    options["expandContext"] = {"@vocab": _SENTINEL}
    expanded = jsonld.expand(document, options)
    unknown = list(dict.fromkeys(_strange_iris(expanded, "")))
    if unknown:
        raise UnknownTermError(unknown)
    # No IRI fell through to the sentinel, so this is also the expansion without it.
    return expanded


def canonicalize(document: dict[str, Any]) -> str:
    """RDF Dataset Canonicalization (RDFC-1.0 / URDNA2015) of a JSON-LD document, as
    N-Quads; UnknownTermError if a term would be dropped, UnsupportedTextError for text
    pyld would not canonicalize as RDFC-1.0 does."""
    _check_text(document)
    with _PYLD:
        expanded = _expand_checked(document)
        options = _options()
        options.update({"algorithm": "URDNA2015", "format": "application/n-quads"})
        return str(jsonld.normalize(expanded, options))


def digest(document: dict[str, Any]) -> bytes:
    """SHA-256 of the document's canonical N-Quads (`canonicalize`, and its errors)."""
    return hashlib.sha256(canonicalize(document).encode()).digest()


def signed_data(proof_config: dict[str, Any], document_digest: bytes) -> bytes:
    """What the signature covers: sha256(proof configuration) || sha256(document). A
    verifier of several proofs on one document canonicalizes the document once."""
    return digest(proof_config) + document_digest


def _hash_data(document: dict[str, Any], proof_config: dict[str, Any]) -> bytes:
    return signed_data(proof_config, digest(document))


def _xsd_datetime(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("created must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def sign(
    document: dict[str, Any],
    key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
) -> dict[str, Any]:
    """A copy of `document` with an eddsa-rdfc-2022 DataIntegrityProof for the
    assertionMethod purpose. Refuses (UnknownTermError) a document whose terms its
    contexts do not all define."""
    if "proof" in document:
        raise ValueError("the document already has a proof")
    if "@context" not in document:
        raise ValueError("the document has no @context")
    unsecured = copy.deepcopy(document)
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": _xsd_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    proof_config = {"@context": unsecured["@context"], **proof}
    signature = key.sign(_hash_data(unsecured, proof_config))
    proof["proofValue"] = multibase_encode(signature)
    return {**unsecured, "proof": proof}


def _context_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def verify(document: dict[str, Any], public_key: Ed25519PublicKey) -> Verdict:
    """Whether `document`'s eddsa-rdfc-2022 proof holds for `public_key`. Never raises for
    a bad document: every reason it fails is in `errors`."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return Verdict(False, ["the document has no single proof object"])
    method = proof.get("verificationMethod")
    method = method if isinstance(method, str) else None
    errors = []
    if proof.get("type") != PROOF_TYPE:
        errors.append(f"proof type is not {PROOF_TYPE}")
    if proof.get("cryptosuite") != CRYPTOSUITE:
        errors.append(f"cryptosuite is not {CRYPTOSUITE}")
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        errors.append(f"proofPurpose is not {PROOF_PURPOSE}")
    created = proof.get("created")
    if created is not None:
        try:
            datetime.fromisoformat(str(created))
        except ValueError:
            errors.append("proof created is not a dateTime")
    proof_value = proof.get("proofValue")
    signature = b""
    try:
        signature = multibase_decode(str(proof_value))
    except ValueError as exc:
        errors.append(f"proofValue: {exc}")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" in options:
        own = _context_list(options.pop("@context"))
        if _context_list(unsecured.get("@context"))[: len(own)] != own:
            errors.append("the proof's @context does not start the document's")
    if errors:
        return Verdict(False, errors, method)
    proof_config = {"@context": unsecured.get("@context"), **options}
    try:
        data = _hash_data(unsecured, proof_config)
    except (UnknownTermError, UnsupportedTextError) as exc:
        return Verdict(False, [str(exc)], method)
    except jsonld.JsonLdError as exc:
        return Verdict(False, [f"JSON-LD: {exc}"], method)
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return Verdict(False, ["the signature does not match the document and key"], method)
    return Verdict(True, [], method)
