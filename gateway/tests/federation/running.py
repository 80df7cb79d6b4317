"""The corpus running: its toy subgraphs, Apollo Gateway and ours on every case.

Three node processes for the whole corpus (the subgraphs of every case behind one
server, one composition run, one Apollo Gateway per case behind one server) and our
gateway in-process, one `create_app` per case behind one server.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from gateway.app import create_app
from gateway.tests.federation.corpus import CASES_DIR
from gateway.tests.harness import Answer, GatewayPair, free_port, serve_asgi

HERE = Path(__file__).resolve().parent


@contextlib.asynccontextmanager
async def node_server(script: str, *args: str, log: Path) -> AsyncIterator[str]:
    """A node script that prints `ready <port>` once it listens: its base URL."""
    with log.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            "node",
            str(HERE / script),
            *args,
            cwd=HERE,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
        )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=90)
        if not line.startswith(b"ready "):
            problem = await asyncio.to_thread(log.read_text)
            raise RuntimeError(f"{script} did not start: {problem}")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        if process.returncode is None:
            process.terminate()
        await process.wait()


async def compose_cases(subgraphs_url: str, out: Path) -> None:
    """Every case's supergraph (or its composition errors) into `out`."""
    process = await asyncio.create_subprocess_exec(
        "node",
        str(HERE / "compose_cases.mjs"),
        str(CASES_DIR),
        subgraphs_url,
        str(out),
        cwd=HERE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=90)
    if process.returncode != 0:
        raise RuntimeError(f"composing the corpus failed: {stderr.decode()}")


@dataclass
class OurGateways:
    """Our gateway on each case's supergraph at /<case>/graphql; why a case's did not start."""

    apps: dict[str, Starlette] = field(default_factory=dict)
    refusals: dict[str, str] = field(default_factory=dict)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # each case's app was started by `start_our_gateways`
        case, _, rest = scope["path"].lstrip("/").partition("/")
        app = self.apps.get(case)
        if app is None:
            refusal = self.refusals.get(case, "no such case")
            await JSONResponse({"errors": [{"message": refusal}]}, 503)(scope, receive, send)
            return
        await app({**scope, "path": f"/{rest}"}, receive, send)


async def start_our_gateways(
    supergraphs: dict[str, str], stack: contextlib.AsyncExitStack
) -> OurGateways:
    """Our gateway started on each supergraph, or the reason it refused to."""
    gateways = OurGateways()
    for case, sdl in supergraphs.items():
        try:
            app = create_app(sdl)
            await stack.enter_async_context(app.router.lifespan_context(app))
        except Exception as error:  # a refusal, whatever its kind, is what the corpus reports
            gateways.refusals[case] = f"{type(error).__name__}: {error}"
        else:
            gateways.apps[case] = app
    return gateways


@dataclass(frozen=True)
class InTurnPair(GatewayPair):
    """Asks one gateway at a time, each on freshly reset subgraphs: mutations change them."""

    reset_url: str = ""
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def ask(
        self, url: str, query: str, variables: dict[str, Any] | None, headers: dict[str, str]
    ) -> Answer:
        async with self.turn:
            (await self.client.post(self.reset_url)).raise_for_status()
            return await super().ask(url, query, variables, headers)


@dataclass(frozen=True)
class RunningCorpus:
    """Every case composed and served: the subgraphs, Apollo Gateway's and ours."""

    subgraphs: str
    apollo: str
    ours: str
    client: httpx.AsyncClient
    refusals: dict[str, str]
    composition_errors: dict[str, str]

    def pair(self, case: str, *, in_turn: bool = False) -> GatewayPair:
        ours, apollo = f"{self.ours}/{case}/graphql", f"{self.apollo}/{case}/graphql"
        if in_turn:
            return InTurnPair(ours, apollo, self.client, f"{self.subgraphs}/reset/{case}")
        return GatewayPair(ours, apollo, self.client)


@contextlib.asynccontextmanager
async def running_corpus(workdir: Path) -> AsyncIterator[RunningCorpus]:
    supergraphs_dir = workdir / "supergraphs"
    supergraphs_dir.mkdir()
    async with contextlib.AsyncExitStack() as stack:
        # The subgraphs' port chosen here, so that composing need not wait for them.
        port = str(free_port())
        subgraphs_log = workdir / "subgraphs.log"
        subgraphs, _ = await asyncio.gather(
            stack.enter_async_context(
                node_server("subgraphs.mjs", str(CASES_DIR), port, log=subgraphs_log)
            ),
            compose_cases(f"http://127.0.0.1:{port}", supergraphs_dir),
        )
        supergraphs = {p.stem: p.read_text() for p in supergraphs_dir.glob("*.graphql")}
        errors = {p.stem: p.read_text() for p in supergraphs_dir.glob("*.errors")}
        apollo_log = workdir / "apollo.log"
        # Apollo's gateways load (node) while ours start (here): two processes, two cores.
        apollo, ours = await asyncio.gather(
            stack.enter_async_context(
                node_server("apollo_gateways.mjs", str(supergraphs_dir), log=apollo_log)
            ),
            start_our_gateways(supergraphs, stack),
        )
        base = await stack.enter_async_context(serve_asgi(ours))
        client = await stack.enter_async_context(httpx.AsyncClient(timeout=30))
        yield RunningCorpus(subgraphs, apollo, base, client, ours.refusals, errors)
