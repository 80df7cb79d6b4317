"""Verifiable Credentials plumbing: Data Integrity proofs (cryptosuite eddsa-rdfc-2022)
over JSON-LD documents, a document loader that serves only the contexts shipped in
`contexts/`, Multikey encodings and did:web documents. No credential's content lives
here: the services build the documents, this signs and checks them."""

from cbkit.vc.did import did_document, did_web
from cbkit.vc.keys import (
    decode_public_key_multibase,
    encode_public_key_multibase,
)
from cbkit.vc.loader import UnknownDocumentError, load_document
from cbkit.vc.proof import (
    CRYPTOSUITE,
    UnknownTermError,
    UnsupportedTextError,
    Verdict,
    sign,
    verify,
)

__all__ = [
    "CRYPTOSUITE",
    "UnknownDocumentError",
    "UnknownTermError",
    "UnsupportedTextError",
    "Verdict",
    "decode_public_key_multibase",
    "did_document",
    "did_web",
    "encode_public_key_multibase",
    "load_document",
    "sign",
    "verify",
]
