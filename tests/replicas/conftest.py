"""Replicas as real processes: several processes of one service on ports of their own
(one database, one queue), and the gateway given all their URLs."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import re
import signal
import sys
from collections.abc import AsyncIterator

import httpx

from cbkit.testing import RunningSystem
from cbkit.testing.clients import eventually
from cbkit.testing.services import free_port, healthy
from cbkit.testing.stack import TestStack


class Replicas:
    """`count` replicas of `service`, and the gateway over them (no other service)."""

    def __init__(
        self, stack: TestStack, namespace: str, service: str, count: int, **env: str
    ) -> None:
        self.system = RunningSystem(stack, namespace)
        self.system.env.update(env)
        self.service = service
        self.ports = [free_port() for _ in range(count)]
        self.processes: dict[int, asyncio.subprocess.Process] = {}
        urls = ",".join(f"{self.url(n)}/graphql" for n in range(count))
        self.system.env[f"CB_SUBGRAPH_URL_{service.upper()}"] = urls

    def url(self, replica: int) -> str:
        return f"http://127.0.0.1:{self.ports[replica]}"

    @property
    def gateway(self) -> str:
        return self.system.gateway

    async def start(self, replica: int) -> None:
        env = {**self.system.env, f"CB_{self.service.upper()}_PORT": str(self.ports[replica])}
        self.processes[replica] = await asyncio.create_subprocess_exec(
            sys.executable, "-m", f"services.{self.service}", env=env
        )
        async with httpx.AsyncClient() as client:
            await eventually(functools.partial(healthy, client, self.url(replica)), within=60)

    @contextlib.asynccontextmanager
    async def running(self, others: tuple[str, ...] = ("gateway",)) -> AsyncIterator[Replicas]:
        """Every replica, then the `others` (processes of RunningSystem); all stopped after."""
        try:
            for replica in range(len(self.ports)):
                await self.start(replica)
            await self.system.start(others)
            yield self
        finally:
            await self.stop()

    async def kill(self, replica: int, how: signal.Signals) -> int:
        process = self.processes[replica]
        process.send_signal(how)
        return await process.wait()

    async def served(self, client: httpx.AsyncClient, replica: int) -> int:
        """How many GraphQL requests the replica answered (its /metrics)."""
        metrics = (await client.get(f"{self.url(replica)}/metrics")).text
        pattern = r'http_requests_total\{path="/graphql",service="[a-z]+",status="200"\} (\S+)'
        found = re.search(pattern, metrics)
        return int(float(found.group(1))) if found else 0

    async def stop(self) -> None:
        for process in self.processes.values():
            if process.returncode is None:
                process.terminate()
        for process in self.processes.values():
            await process.wait()
        await self.system.stop()
