"""Automatic persisted queries, as Apollo clients send them: the `persistedQuery`
extension carries the query's SHA-256; the text is sent once, after a
`PersistedQueryNotFound` answer, and remembered from then on, but only once the
gateway accepted it (no longer than its bounds allow, valid, within the depth, field and
cost limits): a text that is refused is never stored, so refused texts cannot fill the
memory."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any


class PersistedQueryError(Exception):
    def __init__(self, message: str, code: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


NOT_FOUND = ("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND", 200)


@dataclass(frozen=True)
class Resolved:
    query: str
    """The text to run: the one sent, or the one remembered by its hash."""
    new_digest: str | None = None
    """The hash the text came with, to `remember` it by once the gateway accepted it."""


class PersistedQueries:
    """Query texts by SHA-256 hex digest, the least recently used dropped past `size`
    texts or `total_bytes` of text (texts padded with comments stay valid, so the count
    alone would not bound the memory)."""

    def __init__(self, size: int, total_bytes: int = 32 * 1024 * 1024) -> None:
        self._size = size
        self._total_bytes = total_bytes
        self._bytes = 0
        self._queries: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._queries)

    def resolve(self, query: str | None, extensions: Any) -> Resolved:
        """What to run. Raises PersistedQueryError for an unknown hash or a wrong one."""
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if persisted is None:
            assert query is not None, "a request without a persisted query carries its text"
            return Resolved(query)
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise PersistedQueryError(
                "Unsupported persisted query version", "PERSISTED_QUERY_NOT_SUPPORTED", 400
            )
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str):
            raise PersistedQueryError(
                "persistedQuery.sha256Hash must be a string", "BAD_REQUEST", 400
            )
        digest = digest.lower()
        if query is None:
            found = self._queries.get(digest)
            if found is None:
                raise PersistedQueryError(*NOT_FOUND)
            self._queries.move_to_end(digest)
            return Resolved(found)
        if not isinstance(query, str) or hashlib.sha256(query.encode()).hexdigest() != digest:
            raise PersistedQueryError("provided sha does not match query", "BAD_REQUEST", 400)
        return Resolved(query, digest)

    def remember(self, resolved: Resolved) -> None:
        """Keep a text the gateway accepted under the hash it came with."""
        digest = resolved.new_digest
        if digest is None:
            return
        if digest in self._queries:
            self._queries.move_to_end(digest)
            return
        self._queries[digest] = resolved.query
        self._bytes += len(resolved.query)
        while len(self._queries) > self._size or self._bytes > self._total_bytes:
            self._bytes -= len(self._queries.popitem(last=False)[1])
