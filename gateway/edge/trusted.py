"""Trusted documents (Apollo's safelisting) for the portal's browser clients.

`CB_TRUSTED_DOCUMENTS` names a JSON manifest `{"<sha256 hex of the text>": "<text>"}`, the
file GraphQL Code Generator's client preset writes (`persistedDocuments`; its keys are
written `sha256:<hex>`, and either form is read). When it is set,
a request from the portal runs only those documents, named by `documentId` (or by
Apollo's `extensions.persistedQuery.sha256Hash`); anything else it sends is refused
(400, `PERSISTED_QUERY_NOT_ALLOWED`). Other clients (API clients: a bearer token and no
portal signal) run as before, and may name a trusted document by its id too.

A request is the portal's when any of these holds (`is_portal`):
- it says so: `X-CB-Client: portal` (the portal sends it on every request);
- a browser sent it from a page of the gateway's own origin, where the portal is served:
  `Origin` names the request's own host, or `Sec-Fetch-Site: same-origin`. A page's
  script can neither set nor drop these two headers, so a script injected into the
  portal cannot leave the safelist by omitting `X-CB-Client`.
Other browser origins (`CB_CORS_ORIGINS`) are API clients: they authenticate with a
bearer token as any API client does.

The same rule holds over the WebSocket at /graphql (graphql-transport-ws, whose
`subscribe` takes queries and mutations too): a socket is the portal's when its upgrade
request is (`is_portal`; a browser cannot set `X-CB-Client` on a WebSocket, but sends
`Origin` and `Sec-Fetch-Site`), or when its `connection_init` payload says so:
`{"client": "portal"}` (`is_portal_socket`). Each `subscribe` of such a socket then runs
only a trusted document (`TrustedDocuments.resolve_for`, the same decision).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
from graphql import GraphQLError, parse

from gateway.edge.apq import PersistedQueryError

logger = logging.getLogger(__name__)

PORTAL_HEADER = "x-cb-client"
RELOAD_SECONDS = 1.0
"""In development, how often the manifest's file is looked at for a change."""
PORTAL = "portal"
PORTAL_INIT_KEY = "client"
"""The `connection_init` payload's key whose value `portal` makes a WebSocket the portal's."""
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
DIGEST_PREFIX = "sha256:"
NOT_ALLOWED = (
    "only the portal's trusted documents run here",
    "PERSISTED_QUERY_NOT_ALLOWED",
    400,
)


class TrustedDocumentsError(ValueError):
    """The manifest cannot be used; the message says why (the caller names the setting)."""


def is_portal(headers: Mapping[str, str]) -> bool:
    """Whether the request comes from the portal (see the module's docstring)."""
    if headers.get(PORTAL_HEADER, "").strip().lower() == PORTAL:
        return True
    if headers.get("sec-fetch-site", "").lower() == "same-origin":
        return True
    origin, host = headers.get("origin"), headers.get("host")
    if not origin or not host or origin == "null":
        return False
    return urlsplit(origin).netloc.lower() == host.lower()


def is_portal_socket(upgrade_headers: Mapping[str, str], init_payload: Mapping[str, Any]) -> bool:
    """Whether a WebSocket is the portal's: its upgrade request is (`is_portal`), or its
    `connection_init` payload says so (`{"client": "portal"}`)."""
    client = init_payload.get(PORTAL_INIT_KEY)
    if isinstance(client, str) and client.strip().lower() == PORTAL:
        return True
    return is_portal(upgrade_headers)


class TrustedDocuments:
    """The portal's documents by the SHA-256 hex digest of their text.

    In development (`watch`), the manifest is looked at again at most once a second and
    read anew when it changed, so `make web-codegen` takes effect without restarting the
    gateway; a manifest that cannot be used then is logged and the last good one kept.
    In production the documents are those read at start."""

    def __init__(
        self,
        documents: Mapping[str, str],
        source: str = "",
        *,
        watch: Path | None = None,
        every: float = RELOAD_SECONDS,
    ) -> None:
        self._documents = dict(documents)
        self.source = source
        """Where they were read from (for messages)."""
        self._watched = watch
        self._every = every
        self._stamp = _stamp(watch) if watch is not None else None
        self._checked = time.monotonic()

    @property
    def documents(self) -> Mapping[str, str]:
        if self._watched is not None:
            self._reload_if_changed(self._watched)
        return self._documents

    def _reload_if_changed(self, path: Path) -> None:
        now = time.monotonic()
        if now - self._checked < self._every:
            return
        self._checked = now
        stamp = _stamp(path)
        if stamp == self._stamp:
            return
        self._stamp = stamp
        try:
            fresh = load_trusted_documents(path)
        except TrustedDocumentsError as error:
            logger.warning("kept the trusted documents read before: %s", error)
            return
        self._documents = dict(fresh.documents)
        logger.info("read %d trusted documents anew from %s", len(self._documents), path)

    def __len__(self) -> int:
        return len(self.documents)

    def resolve(
        self,
        headers: Mapping[str, str],
        query: str | None,
        extensions: Any,
        document_id: str | None,
    ) -> str | None:
        """The trusted text to run, or None to go on as without trusted documents (an API
        client that names no trusted document). Raises PersistedQueryError when the
        request may not run."""
        return self.resolve_for(is_portal(headers), query, extensions, document_id)

    def resolve_for(
        self,
        portal: bool,
        query: str | None,
        extensions: Any,
        document_id: str | None,
    ) -> str | None:
        """`resolve` for a client already known to be the portal's or not (a WebSocket:
        `is_portal_socket`, decided once per connection)."""
        digest = _digest(document_id, extensions)
        text = self.documents.get(digest) if digest is not None else None
        if text is None:
            if portal:
                raise PersistedQueryError(*NOT_ALLOWED)
            if document_id is not None:
                raise PersistedQueryError(
                    f"no trusted document has the id {document_id!r}",
                    "PERSISTED_QUERY_NOT_FOUND",
                    400,
                )
            return None
        if query is not None and query != text:
            if portal:
                raise PersistedQueryError(*NOT_ALLOWED)
            raise PersistedQueryError("provided sha does not match query", "BAD_REQUEST", 400)
        return text


def _digest(document_id: str | None, extensions: Any) -> str | None:
    """The hash the request names: `documentId` (bare, or `sha256:<hex>` as the GraphQL
    over HTTP persisted documents proposal writes it), else the persisted query's."""
    if document_id is not None:
        return document_id.lower().removeprefix(DIGEST_PREFIX)
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    return digest.lower().removeprefix(DIGEST_PREFIX) if isinstance(digest, str) else None


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size)


def load_trusted_documents(path: Path, *, watch: bool = False) -> TrustedDocuments:
    """Read and check a manifest: a JSON object of SHA-256 hex digests to the document
    texts they are the digests of, each a GraphQL document. Raises
    TrustedDocumentsError. `watch`: read it again when it changes (development)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise TrustedDocumentsError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        manifest = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise TrustedDocumentsError(f"{path} is not JSON: {error}") from None
    if not isinstance(manifest, dict) or not manifest:
        raise TrustedDocumentsError(
            f"{path} must be a non-empty JSON object of SHA-256 hex digests to document texts"
        )
    documents: dict[str, str] = {}
    for key, text in manifest.items():
        # GraphQL Code Generator's client preset writes "sha256:<hex>", the persisted
        # documents proposal's form; a bare digest is read the same
        digest = key.removeprefix(DIGEST_PREFIX)
        if not isinstance(text, str):
            raise TrustedDocumentsError(f"{path}: the document of {digest!r} is not a string")
        if not SHA256_HEX.match(digest):
            raise TrustedDocumentsError(
                f"{path}: {digest!r} is not a SHA-256 hex digest (64 lowercase hex digits)"
            )
        if hashlib.sha256(text.encode()).hexdigest() != digest:
            raise TrustedDocumentsError(
                f"{path}: {digest[:12]}… is not the SHA-256 of its document"
            )
        try:
            parse(text)
        except GraphQLError as error:
            raise TrustedDocumentsError(
                f"{path}: the document {digest[:12]}… is not GraphQL: {error.message}"
            ) from None
        documents[digest] = text
    return TrustedDocuments(documents, str(path), watch=path if watch else None)
