"""Request bodies read within a bound: a declared `Content-Length` past it is refused
before a byte is read, a streamed body as soon as it grows past it."""

from __future__ import annotations

from starlette.requests import ClientDisconnect, Request

DRAIN_LIMIT = 32 * 1024 * 1024
"""A body refused unread is read and dropped up to this many bytes, so that the client,
still sending, gets the answer rather than a reset connection."""


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"The request body is larger than {limit} bytes, the most it may be.")
        self.limit = limit


class BadContentLength(Exception):
    """The `Content-Length` header is not a number."""


async def read_bounded(request: Request, limit: int) -> bytes:
    """The whole body; BodyTooLarge when it is (or says it is) longer than `limit`."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise BadContentLength(declared)
        if int(declared) > limit:
            raise BodyTooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def drain(request: Request) -> None:
    """Read and drop what the client still sends (unless it waits for 100 Continue)."""
    if request.headers.get("expect", "").lower() == "100-continue":
        return
    read = 0
    try:
        async for chunk in request.stream():
            read += len(chunk)
            if read > DRAIN_LIMIT:
                return
    except (RuntimeError, ClientDisconnect):
        return  # the whole body was read already, or the client has gone
