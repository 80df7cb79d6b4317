"""Asking the running system every cell as every kind of caller: through the gateway,
through one subgraph's `_entities`, and through the credit-event subscription.

Cells are asked in batches (one operation per type asked, each cell under its own
alias so that a refusal nulls only its own alias); when an answer loses all its data
or carries an error without a path, its cells are asked again one by one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import httpx
import orjson
import websockets

from cbkit.testing import Subscription
from tests.access.answers import Finding, Got, finding, refusal
from tests.access.matrix import Caller
from tests.access.walk import Cell, key_field, merged
from tests.access.world import World

FEED_WAIT = 15.0
"""Seconds to wait for the next message of a feed (the marker is in it already)."""


@dataclass(frozen=True)
class Asked:
    """One cell of the matrix: a field, a caller, a path, and what the caller got."""

    cell: Cell
    caller: Caller
    path: str
    finding: Finding

    @property
    def agrees(self) -> bool:
        return self.finding.agrees(self.caller in self.cell.readers)

    def __str__(self) -> str:
        expected = "read" if self.caller in self.cell.readers else "a refusal"
        route = ".".join(self.cell.keys)
        return (
            f"{self.cell.coordinate:38} {self.caller.value:29} {self.path:14}"
            f" expected {expected}, got {self.finding}  [{route}]"
        )


Batch = Callable[[Sequence[Cell]], Awaitable[list[Finding]]]
Keys = Callable[[str, Cell], list[str]]
"""Where an aliased cell's field is in the answer."""


async def _post(
    client: httpx.AsyncClient, url: str, query: str, variables: dict[str, Any], token: str | None
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        url, json={"query": query, "variables": variables}, headers=headers
    )
    try:
        answer: dict[str, Any] = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        code = f"HTTP {response.status_code}"
        answer = {"errors": [{"message": response.text[:200], "extensions": {"code": code}}]}
    return answer


def _lost(answer: dict[str, Any]) -> bool:
    errors = answer.get("errors") or ()
    return answer.get("data") is None or any(not error.get("path") for error in errors)


async def _asked_alone_if_lost(
    cells: Sequence[Cell], ask: Callable[[Sequence[Cell]], Awaitable[dict[str, Any]]], keys: Keys
) -> list[Finding]:
    answer = await ask(cells)
    if len(cells) > 1 and _lost(answer):
        return [(await _asked_alone_if_lost([cell], ask, keys))[0] for cell in cells]
    return [finding(answer, keys(alias, cell)) for alias, cell in _aliased(cells)]


def _aliased(cells: Sequence[Cell]) -> list[tuple[str, Cell]]:
    return [(f"c{index}", cell) for index, cell in enumerate(cells)]


def gateway_batch(client: httpx.AsyncClient, url: str, world: World, caller: Caller) -> Batch:
    """Cells asked from the gateway's root fields."""

    async def ask(cells: Sequence[Cell]) -> dict[str, Any]:
        fields = " ".join(f"{alias}: {c.text(world.values)}" for alias, c in _aliased(cells))
        return await _post(client, url, f"{{ {fields} }}", {}, world.tokens[caller])

    def keys(alias: str, cell: Cell) -> list[str]:
        return [alias, *cell.keys[1:]]

    return lambda cells: _asked_alone_if_lost(cells, ask, keys)


def entities_batch(
    client: httpx.AsyncClient, url: str, graph: str, entity: str, world: World, caller: Caller
) -> Batch:
    """Cells asked of the learner's instances of `entity` through `graph`'s `_entities`."""
    key = key_field(entity, graph)
    assert key is not None, f"{graph} does not resolve {entity} by a key"
    representations = [{"__typename": entity, key: v} for v in world.instances.get(entity, [])]

    async def ask(cells: Sequence[Cell]) -> dict[str, Any]:
        fields = " ".join(
            f"{alias}: _entities(representations: $r) {{ ... on {entity} {{"
            f" {c.text(world.values)} }} }}"
            for alias, c in _aliased(cells)
        )
        query = f"query($r: [_Any!]!) {{ {fields} }}"
        return await _post(client, url, query, {"r": representations}, world.tokens[caller])

    def keys(alias: str, cell: Cell) -> list[str]:
        return [alias, *cell.keys]

    async def batch(cells: Sequence[Cell]) -> list[Finding]:
        if not representations:
            return [Finding(Got.EMPTY, f"the world has no {entity}")] * len(cells)
        return await _asked_alone_if_lost(cells, ask, keys)

    return batch


Job = tuple[Caller, str, Batch, Sequence[Cell]]
"""Cells to ask as a caller along a path (named for the report), and how to ask them."""


async def ask_all(jobs: Sequence[Job], concurrency: int = 8) -> list[Asked]:
    """Every job's cells, one batch per type the cells end in, a few batches at a time."""
    gate = asyncio.Semaphore(concurrency)

    async def one(caller: Caller, path: str, batch: Batch, group: list[Cell]) -> list[Asked]:
        async with gate:
            found = await batch(group)
        return [Asked(cell, caller, path, f) for cell, f in zip(group, found, strict=True)]

    def parent(cell: Cell) -> str:
        return cell.path[-1].type_name

    tasks = [
        one(caller, path, batch, list(group))
        for caller, path, batch, cells in jobs
        for _, group in groupby(sorted(cells, key=parent), key=parent)
    ]
    return [asked for found in await asyncio.gather(*tasks) for asked in found]


async def feed_findings(
    url: str, token: str | None, cells: Sequence[Cell], world: World
) -> list[Finding]:
    """What one caller's subscription sends of the learner: the first event of hers,
    or the marker (the other learner's last event) first, or a refusal."""
    root = cells[0].path[0].field
    query = f"subscription {{ {merged(cells, world.values)} }}"

    def all_cells(found: Finding) -> list[Finding]:
        return [found] * len(cells)

    try:
        async with Subscription(url, token) as feed:
            await feed.subscribe(query)
            while True:
                message = await feed.next(within=FEED_WAIT)
                if message.get("type") == "error":
                    return all_cells(refusal(message.get("payload") or [{}]))
                if message.get("type") == "complete":
                    return all_cells(Finding(Got.NOTHING, "the subscription ended"))
                event = (message.get("data") or {}).get(root)
                if message.get("errors") or not event or event.get("learnerId") == world.learner:
                    return [finding(message, cell.keys) for cell in cells]
                if event.get("learnerId") == world.marker_learner:
                    return all_cells(Finding(Got.WITHHELD))
    except TimeoutError:
        return all_cells(Finding(Got.TIMEOUT, f"nothing within {FEED_WAIT}s"))
    except (AssertionError, websockets.ConnectionClosed, websockets.InvalidHandshake) as closed:
        return all_cells(Finding(Got.REFUSED, f"connection refused: {closed}"))


async def inbox_findings(
    url: str, token: str | None, cells: Sequence[Cell], world: World, learners: set[str]
) -> list[Finding]:
    """What one caller's `notificationAdded` sends: the first message, read when it is
    one of the learner's (its `about.id` among `learners`, the consents told to her),
    withheld when it is one of the caller's own markers, or a refusal."""
    root = cells[0].path[0].field
    query = f"subscription {{ {merged(cells, world.values)} }}"

    def all_cells(found: Finding) -> list[Finding]:
        return [found] * len(cells)

    try:
        async with Subscription(url, token) as feed:
            await feed.subscribe(query)
            message = await feed.next(within=FEED_WAIT)
            if message.get("type") == "error":
                return all_cells(refusal(message.get("payload") or [{}]))
            if message.get("type") == "complete":
                return all_cells(Finding(Got.NOTHING, "the subscription ended"))
            sent = (message.get("data") or {}).get(root) or {}
            if message.get("errors") or (sent.get("about") or {}).get("id") in learners:
                return [finding(message, cell.keys) for cell in cells]
            return all_cells(Finding(Got.WITHHELD))
    except TimeoutError:
        return all_cells(Finding(Got.TIMEOUT, f"nothing within {FEED_WAIT}s"))
    except (AssertionError, websockets.ConnectionClosed, websockets.InvalidHandshake) as closed:
        return all_cells(Finding(Got.REFUSED, f"connection refused: {closed}"))
