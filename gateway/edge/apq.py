"""Automatic persisted queries, as Apollo clients send them: the `persistedQuery`
extension carries the query's SHA-256; the text is sent once, after a
`PersistedQueryNotFound` answer, and remembered from then on."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any


class PersistedQueryError(Exception):
    def __init__(self, message: str, code: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


NOT_FOUND = ("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND", 200)


class PersistedQueries:
    """Query texts by SHA-256 hex digest, least recently used dropped past `size`."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._queries: OrderedDict[str, str] = OrderedDict()

    def resolve(self, query: str | None, extensions: Any) -> str | None:
        """The query to run: the one sent, or the one remembered by its hash."""
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if persisted is None:
            return query
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
            return found
        if not isinstance(query, str) or hashlib.sha256(query.encode()).hexdigest() != digest:
            raise PersistedQueryError("provided sha does not match query", "BAD_REQUEST", 400)
        self._queries[digest] = query
        self._queries.move_to_end(digest)
        if len(self._queries) > self._size:
            self._queries.popitem(last=False)
        return query
