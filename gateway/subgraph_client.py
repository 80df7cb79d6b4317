"""A lean HTTP/1.1 keep-alive client for subgraph fetches: asyncio protocol + httptools.

Every operation costs the gateway several subgraph requests, so this is the hot path.
httpx spends more CPU per request than the rest of the gateway together (anyio layers,
header models, a failing `import sniffio` per request); this client does only what a
subgraph fetch needs: POST a JSON body on a pooled connection, read the answer.

With replicas (`gateway.upstreams`), each request goes to the next healthy replica; one
that refuses the connection is ejected and the request goes to the next (a mutation too:
it never left); one that fails after the request was sent (closed, timed out) is ejected
and a read is tried once more on another, a mutation never (it may have run there).
A kept-alive connection is reused only while younger than the subgraph's own keep-alive
(uvicorn closes idle ones after 5 s), so a request rarely meets a socket being closed;
one that does is sent again on a new connection when it is a read.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import urlsplit

import httptools

from gateway.upstreams import Upstreams

IDLE_SECONDS = 4.0
"""How long an idle kept-alive connection is reused: under uvicorn's keep-alive (5 s)."""
MUTATION = b'{"query":"mutation'


class FetchError(Exception):
    """The subgraph could not be reached or broke HTTP."""


class NotConnected(FetchError):
    """No connection could be made: the request never left."""


@dataclass(frozen=True)
class SubgraphResponse:
    status_code: int
    content: bytes


class _Connection(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._waiter: asyncio.Future[SubgraphResponse] | None = None
        self._chunks: list[bytes] = []
        self._parser: httptools.HttpResponseParser | None = None
        self.keep_alive = True
        self.idle_since = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(FetchError(f"connection closed: {exc!r}"))

    def data_received(self, data: bytes) -> None:
        if self._parser is None:
            return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as error:
            self.closed = True
            if self._waiter is not None and not self._waiter.done():
                self._waiter.set_exception(FetchError(f"bad HTTP answer: {error}"))
            if self.transport is not None:
                self.transport.close()

    # httptools callbacks
    def on_body(self, body: bytes) -> None:
        self._chunks.append(body)

    def on_message_complete(self) -> None:
        parser = self._parser
        assert parser is not None
        self.keep_alive = parser.should_keep_alive()
        status = parser.get_status_code()
        self._parser = None
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(SubgraphResponse(status, b"".join(self._chunks)))

    def request(self, data: bytes) -> asyncio.Future[SubgraphResponse]:
        assert self.transport is not None
        self._chunks = []
        self._parser = httptools.HttpResponseParser(self)
        self._waiter = asyncio.get_running_loop().create_future()
        self.transport.write(data)
        return self._waiter

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


@dataclass
class _Host:
    host: str
    port: int
    idle: list[_Connection] = field(default_factory=list)
    slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(100))


class SubgraphClient:
    """POSTs JSON to subgraphs over pooled keep-alive connections (100 per subgraph
    replica), balanced over each subgraph's replicas when it has several (`replicas`: by
    the URL fetches name the subgraph with, its replicas' URLs)."""

    def __init__(
        self, timeout: float = 30.0, replicas: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self._timeout = timeout
        self._hosts: dict[tuple[str, int], _Host] = {}
        self._targets: dict[str, tuple[_Host, bytes]] = {}
        self.upstreams = Upstreams(replicas or {})

    def _target(self, url: str) -> tuple[_Host, bytes]:
        found = self._targets.get(url)
        if found is None:
            parts = urlsplit(url)
            if parts.scheme != "http":
                raise FetchError(f"only http:// subgraph URLs are supported, not {url}")
            host, port = parts.hostname or "127.0.0.1", parts.port or 80
            pool = self._hosts.setdefault((host, port), _Host(host, port))
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            head = (
                f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                "Content-Type: application/json\r\nAccept: application/json\r\n"
            ).encode("latin-1")
            found = self._targets[url] = (pool, head)
        return found

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> SubgraphResponse:
        """POST `body` to the subgraph at `url` (one of its replicas); FetchError when
        no replica answered."""
        read = not body.startswith(MUTATION)
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        tail = b"".join((extra.encode("latin-1"), b"Content-Length: %d\r\n\r\n" % len(body), body))
        failure: FetchError | None = None
        retried = False
        for replica in self.upstreams.choices(url):
            try:
                return await self._post_to(replica, tail, read)
            except NotConnected as error:
                self.upstreams.eject(replica, str(error))
                failure = error  # it never left: any request may go to the next replica
            except FetchError as error:
                self.upstreams.eject(replica, str(error))  # (a lone subgraph URL never is)
                if not read or retried:
                    raise
                retried, failure = True, error  # a read: once more, on another replica
        assert failure is not None
        raise failure

    async def _post_to(self, url: str, tail: bytes, read: bool) -> SubgraphResponse:
        pool, head = self._target(url)
        data = head + tail
        async with pool.slots:
            for attempt in (0, 1):
                connection, reused = await self._connection(pool)
                try:
                    async with asyncio.timeout(self._timeout):
                        response = await connection.request(data)
                except FetchError:
                    connection.close()
                    if reused and read and attempt == 0:
                        continue  # a kept-alive connection the subgraph had closed: retry
                    raise
                except TimeoutError as error:
                    connection.close()
                    raise FetchError(f"no answer within {self._timeout}s") from error
                except BaseException:
                    connection.close()
                    raise
                if connection.keep_alive and not connection.closed:
                    connection.idle_since = time.monotonic()
                    pool.idle.append(connection)
                else:
                    connection.close()
                return response
        raise AssertionError("unreachable")

    async def _connection(self, pool: _Host) -> tuple[_Connection, bool]:
        """A kept-alive connection still fresh and open, or a new one; whether reused."""
        fresh_since = time.monotonic() - IDLE_SECONDS
        while pool.idle:
            connection = pool.idle.pop()
            if not connection.closed and connection.idle_since >= fresh_since:
                return connection, True
            connection.close()
        return await self._connect(pool), False

    async def _connect(self, pool: _Host) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(5):
                _, connection = await loop.create_connection(_Connection, pool.host, pool.port)
        except (OSError, TimeoutError) as error:
            raise NotConnected(f"cannot connect to {pool.host}:{pool.port}: {error!r}") from error
        return connection

    async def aclose(self) -> None:
        await self.upstreams.aclose()
        for pool in self._hosts.values():
            while pool.idle:
                pool.idle.pop().close()
        await asyncio.sleep(0)
