"""Differential testing: the same operation through our gateway and Apollo Gateway.

Reusable for any set of subgraphs: give `differential_gateways` a supergraph SDL whose
join__graph URLs point at running subgraphs; it starts Apollo Gateway (node) and ours
(in-process) on that supergraph and yields a `GatewayPair` to compare answers with.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import uvicorn
from starlette.types import ASGIApp

from cbkit.testing import free_port
from gateway.app import create_app

GATEWAY_DIR = Path(__file__).resolve().parents[1]


@contextlib.asynccontextmanager
async def serve_asgi(app: ASGIApp, websockets: bool = False) -> AsyncIterator[str]:
    """Serve an ASGI app in-process on a free port (WebSockets too if asked); its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    ws = "websockets-sansio" if websockets else "none"
    config = uvicorn.Config(app, log_level="warning", lifespan="auto", ws=ws)
    server = uvicorn.Server(config)
    task = asyncio.ensure_future(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


@contextlib.asynccontextmanager
async def apollo_gateway(supergraph_path: Path) -> AsyncIterator[str]:
    """Run the reference Apollo Gateway on the supergraph; yields its /graphql URL."""
    async with apollo_gateway_process(supergraph_path) as (url, _):
        yield url


@contextlib.asynccontextmanager
async def apollo_gateway_process(supergraph_path: Path) -> AsyncIterator[tuple[str, int]]:
    """The reference Apollo Gateway on the supergraph: its /graphql URL and process id."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        "node",
        str(GATEWAY_DIR / "apollo_gateway.mjs"),
        str(port),
        str(supergraph_path),
        cwd=GATEWAY_DIR,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=60)
        if not line.startswith(b"ready"):
            problem = (await process.stderr.read()).decode()
            raise RuntimeError(f"Apollo Gateway did not start: {problem}")
        yield f"http://127.0.0.1:{port}/", process.pid
    finally:
        if process.returncode is None:
            process.terminate()
        await process.wait()


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]

    @property
    def data(self) -> Any:
        return self.body.get("data")

    @property
    def error_paths(self) -> list[tuple[str | int, ...] | None]:
        """Error paths, sorted: fetches finish in any order, so errors may too."""
        paths = [
            tuple(error["path"]) if error.get("path") is not None else None
            for error in self.body.get("errors", ())
        ]
        return sorted(paths, key=repr)

    @property
    def ordered_data(self) -> str:
        """The data as JSON with key order kept: GraphQL responses follow selection order."""
        return orjson.dumps(self.data).decode()


@dataclass(frozen=True)
class GatewayPair:
    ours: str
    apollo: str
    client: httpx.AsyncClient

    async def ask(
        self, url: str, query: str, variables: dict[str, Any] | None, headers: dict[str, str]
    ) -> Answer:
        payload = {"query": query, "variables": variables or {}}
        response = await self.client.post(url, json=payload, headers=headers)
        return Answer(response.status_code, response.json())

    async def both(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[Answer, Answer]:
        request_headers = {"apollo-require-preflight": "true", **(headers or {})}
        return await asyncio.gather(
            self.ask(self.ours, query, variables, request_headers),
            self.ask(self.apollo, query, variables, request_headers),
        )

    async def assert_same(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """Both gateways give the same data (in the same order) and the same error paths."""
        ours, apollo = await self.both(query, variables, headers)
        assert ours.data == apollo.data, f"data differs\nours:   {ours.body}\napollo: {apollo.body}"
        assert ours.ordered_data == apollo.ordered_data, "same data, different key order"
        assert ours.error_paths == apollo.error_paths, (
            f"error paths differ\nours:   {ours.body}\napollo: {apollo.body}"
        )
        return ours


@contextlib.asynccontextmanager
async def differential_gateways(
    supergraph_sdl: str, workdir: Path, subgraph_urls: dict[str, str] | None = None
) -> AsyncIterator[GatewayPair]:
    """Apollo Gateway and ours, both on `supergraph_sdl`."""
    supergraph_path = workdir / "supergraph.graphql"
    supergraph_path.write_text(supergraph_sdl)
    app = create_app(supergraph_sdl, subgraph_urls)
    async with (
        serve_asgi(app) as ours,
        apollo_gateway(supergraph_path) as apollo,
        httpx.AsyncClient(timeout=30) as client,
    ):
        yield GatewayPair(f"{ours}/graphql", apollo, client)
