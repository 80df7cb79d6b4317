"""Replicas of a subgraph: several URLs for one subgraph (`CB_SUBGRAPH_URL_<NAME>=url1,url2`),
taken in turn (round robin over the healthy ones). A replica that refuses connections,
times out or drops a request is ejected; it is taken back once its /healthz answers 200
again, asked every `check_seconds` while it is out. When every replica of a subgraph is
out, all of them are tried anyway, in turn: a refusal costs less than giving up.

Which requests go to another replica after a failure is `gateway.subgraph_client`'s
decision: reads always, once; mutations only when the request surely never left."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import httpx

log = logging.getLogger(__name__)

CHECK_SECONDS = 0.5
HEALTH_TIMEOUT_SECONDS = 2.0


def health_url(url: str) -> str:
    """The /healthz URL of the process serving the GraphQL `url`."""
    return urlunsplit(urlsplit(url)._replace(path="/healthz", query="", fragment=""))


@dataclass
class _Replicas:
    urls: tuple[str, ...]
    out: set[str] = field(default_factory=set)
    turn: int = 0

    def in_order(self) -> list[str]:
        """The healthy replicas, starting at the next one's turn; then those out."""
        start = self.turn % len(self.urls)
        self.turn += 1
        rotated = self.urls[start:] + self.urls[:start]
        return [u for u in rotated if u not in self.out] + [u for u in rotated if u in self.out]


class Upstreams:
    """The replicas of each subgraph, by the subgraph's URL (the one fetches name; usually
    its first replica's)."""

    def __init__(
        self, replicas: Mapping[str, Sequence[str]], check_seconds: float = CHECK_SECONDS
    ) -> None:
        self._sets = {url: _Replicas(tuple(urls)) for url, urls in replicas.items() if urls}
        self._check_seconds = check_seconds
        self._checker: asyncio.Task[None] | None = None

    def choices(self, url: str) -> list[str]:
        """Where to send a request for the subgraph at `url`, in the order to try them."""
        replicas = self._sets.get(url)
        return replicas.in_order() if replicas is not None else [url]

    def is_out(self, url: str) -> bool:
        return any(url in replicas.out for replicas in self._sets.values())

    def eject(self, url: str, why: str) -> None:
        """Send nothing more to the replica at `url` until its /healthz answers again."""
        ejected = False
        for replicas in self._sets.values():
            if url in replicas.urls and url not in replicas.out:
                replicas.out.add(url)
                ejected = True
                log.warning("replica %s ejected (%s)", url, why)
        if ejected and (self._checker is None or self._checker.done()):
            with contextlib.suppress(RuntimeError):  # no loop running: checked when used
                self._checker = asyncio.get_running_loop().create_task(self._check())

    async def _check(self) -> None:
        async with httpx.AsyncClient(timeout=HEALTH_TIMEOUT_SECONDS) as client:
            while out := [u for replicas in self._sets.values() for u in replicas.out]:
                await asyncio.sleep(self._check_seconds)
                for url in out:
                    if await _healthy(client, url):
                        self._readmit(url)

    def _readmit(self, url: str) -> None:
        for replicas in self._sets.values():
            if url in replicas.out:
                replicas.out.discard(url)
                log.warning("replica %s healthy again: taken back", url)

    async def aclose(self) -> None:
        if self._checker is not None:
            self._checker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checker
            self._checker = None


async def _healthy(client: httpx.AsyncClient, url: str) -> bool:
    try:
        return (await client.get(health_url(url))).status_code == 200
    except httpx.HTTPError:
        return False
