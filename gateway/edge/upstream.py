"""One HTTP/1.1 request upstream with `Expect: 100-continue` (h11 over asyncio streams).

An upload is refused by outcomes from its headers alone (no token, not a learner,
declared too large) without reading the body; a client that is still sending when the
server closes gets a connection reset instead of the answer. Waiting for `100 Continue`
before sending the body gets the refusal every time and sends no byte in vain. httpx
cannot do this, hence this small client; the body is streamed both ways, never held.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import h11
import httpx

CHUNK = 64 * 1024


def service_origin(graphql_url: str) -> str:
    """`http://host:port` of a subgraph's service from its GraphQL URL."""
    parts = urlsplit(graphql_url)
    return f"{parts.scheme}://{parts.netloc}"


class Upstream:
    """What asks the services over plain HTTP (httpx, where 100 Continue is not needed):
    one pooled client, made at `start()` and closed at `close()`."""

    def __init__(self) -> None:
        self._client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(60.0, connect=5.0),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()


class UpstreamError(Exception):
    """The upstream service could not be reached or broke the protocol."""


@dataclass
class UpstreamResponse:
    status: int
    headers: list[tuple[str, str]]
    body_sent: bool
    """False when the answer came before `100 Continue`: the request body was not sent."""
    _connection: h11.Connection
    _reader: asyncio.StreamReader
    _writer: asyncio.StreamWriter

    async def body(self) -> AsyncIterator[bytes]:
        try:
            while True:
                event = await _next_event(self._connection, self._reader)
                if isinstance(event, h11.Data):
                    yield bytes(event.data)
                elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                    return
        finally:
            await self.close()

    async def close(self) -> None:
        self._writer.close()
        with contextlib.suppress(OSError):
            await self._writer.wait_closed()


async def _next_event(connection: h11.Connection, reader: asyncio.StreamReader) -> h11.Event:
    while True:
        try:
            event = connection.next_event()
        except h11.RemoteProtocolError as error:
            raise UpstreamError(f"bad answer from upstream: {error}") from error
        if event is not h11.NEED_DATA:
            assert not isinstance(event, type)
            return event
        connection.receive_data(await reader.read(CHUNK))


async def request_with_continue(
    url: str,
    method: str,
    headers: list[tuple[str, str]],
    body: AsyncIterable[bytes],
    answer_within: float = 60.0,
) -> UpstreamResponse:
    """Send the head, wait for `100 Continue` (or an early answer), then stream the body."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 5)
    except (OSError, TimeoutError) as error:
        raise UpstreamError(f"cannot connect to {host}:{port}: {error!r}") from error
    connection = h11.Connection(our_role=h11.CLIENT)
    framing = {name.lower() for name, _ in headers}
    head = [(n, v) for n, v in headers if n.lower() != "expect"]
    head += [("host", parts.netloc), ("expect", "100-continue"), ("connection", "close")]
    if "content-length" not in framing and "transfer-encoding" not in framing:
        head.append(("transfer-encoding", "chunked"))
    try:
        writer.write(connection.send(h11.Request(method=method, target=target, headers=head)))
        await writer.drain()
        event = await asyncio.wait_for(_next_event(connection, reader), answer_within)
        body_sent = False
        if isinstance(event, h11.InformationalResponse):
            async for chunk in body:
                if chunk:
                    writer.write(connection.send(h11.Data(data=chunk)))
                    await writer.drain()
            writer.write(connection.send(h11.EndOfMessage()))
            await writer.drain()
            body_sent = True
            while isinstance(event, h11.InformationalResponse):
                event = await asyncio.wait_for(_next_event(connection, reader), answer_within)
        if not isinstance(event, h11.Response):
            raise UpstreamError(f"unexpected answer from upstream: {event!r}")
    except (OSError, TimeoutError, h11.LocalProtocolError) as error:
        writer.close()
        raise UpstreamError(f"upstream request failed: {error!r}") from error
    except BaseException:
        writer.close()
        raise
    decoded = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in event.headers]
    return UpstreamResponse(event.status_code, decoded, body_sent, connection, reader, writer)
