"""A pyld document loader that serves the JSON-LD contexts shipped in `contexts/` by
the URL each is published at, and refuses every other URL: nothing is fetched from the
network at run time. `contexts/README.md` says where each file came from."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_DIR = Path(__file__).parent / "contexts"

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_V3P0_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
CLR_V2P0_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"

CONTEXT_FILES: dict[str, str] = {
    CREDENTIALS_V2: "credentials-v2.jsonld",
    OB_V3P0_CONTEXT: "context-3.0.3.json",
    OB_V3P0_EXTENSIONS: "extensions.json",
    CLR_V2P0_CONTEXT: "context-2.0.1.json",
    DID_V1: "did-v1.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
}


class UnknownDocumentError(LookupError):
    """A JSON-LD processor asked for a document that is not shipped with cbkit.vc."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"JSON-LD document {url!r} is not one of the contexts shipped in cbkit/vc/contexts "
            "(nothing is fetched from the network)"
        )
        self.url = url


@cache
def _parsed(url: str) -> Any:
    name = CONTEXT_FILES.get(url)
    if name is None:
        raise UnknownDocumentError(url)
    return json.loads((_DIR / name).read_bytes())


def context(url: str) -> Any:
    """The parsed document served for `url` (a fresh copy: callers may change it)."""
    return json.loads(json.dumps(_parsed(url)))


def load_document(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld's `documentLoader(url, options)`: a RemoteDocument for a shipped context."""
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": context(url),
    }
