"""Which requests the gateway sends to another replica after a failure, against real
sockets: a read always (once), a mutation only when it never left."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from cbkit.testing.services import free_port
from gateway.subgraph_client import FetchError, SubgraphClient

QUERY = b'{"query":"query { a }","variables":{}}'
MUTATION = b'{"query":"mutation { b }","variables":{}}'
ANSWER = b'{"data":{"a":1}}'


class Upstream:
    """A subgraph replica on a real socket: it answers each request, or (`drops`) reads
    it and closes the connection without a word, as one killed mid-request does."""

    def __init__(self, drops: bool) -> None:
        self.drops = drops
        self.received: list[bytes] = []
        self.port = 0
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        self.received.append(await reader.readexactly(length))
        if not self.drops:
            writer.write(
                b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(ANSWER), ANSWER)
            )
            await writer.drain()
        writer.close()

    async def __aenter__(self) -> Upstream:
        self._server = await asyncio.start_server(self.serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()


@pytest.fixture
async def dropping_and_answering() -> AsyncIterator[tuple[Upstream, Upstream]]:
    async with Upstream(drops=True) as dropping, Upstream(drops=False) as answering:
        yield dropping, answering


async def test_a_read_dropped_by_one_replica_is_answered_by_another(dropping_and_answering):
    dropping, answering = dropping_and_answering
    client = SubgraphClient(replicas={dropping.url: [dropping.url, answering.url]})
    try:
        response = await client.post(dropping.url, QUERY, {})
    finally:
        await client.aclose()
    assert response.content == ANSWER
    assert dropping.received == [QUERY]
    assert answering.received == [QUERY]


async def test_a_mutation_that_reached_a_replica_is_never_sent_to_another(
    dropping_and_answering,
):
    dropping, answering = dropping_and_answering
    client = SubgraphClient(replicas={dropping.url: [dropping.url, answering.url]})
    try:
        with pytest.raises(FetchError):
            await client.post(dropping.url, MUTATION, {})
    finally:
        await client.aclose()
    assert dropping.received == [MUTATION]
    assert answering.received == []  # it may have run on the first: not run twice


async def test_a_mutation_refused_a_connection_goes_to_another_replica():
    nobody = f"http://127.0.0.1:{free_port()}/graphql"
    async with Upstream(drops=False) as answering:
        client = SubgraphClient(replicas={nobody: [nobody, answering.url]})
        try:
            response = await client.post(nobody, MUTATION, {})
            # the refusing replica is out now: the next request goes straight to the other
            again = await client.post(nobody, MUTATION, {})
        finally:
            await client.aclose()
    assert response.content == again.content == ANSWER
    assert answering.received == [MUTATION, MUTATION]
