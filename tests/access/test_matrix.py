"""The access matrix: every field reachable from Query and Subscription, asked as every
kind of caller through the gateway, through each subgraph's `_entities` and through the
credit feed, against the one table in `tests/access/matrix.py`."""

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from cbkit import wire
from cbkit.testing import Bus, RunningSystem, TestStack, new_id
from services import SERVICES
from tests.access import walk
from tests.access.ask import (
    Asked,
    Job,
    ask_all,
    entities_batch,
    feed_findings,
    gateway_batch,
    inbox_findings,
)
from tests.access.matrix import TABLE, Caller
from tests.access.world import World


def _assert_agrees(asked: Sequence[Asked]) -> None:
    wrong = sorted(str(a) for a in asked if not a.agrees)
    assert not wrong, (
        f"{len(wrong)} of {len(asked)} cells disagree with tests/access/matrix.py:\n"
        + "\n".join(wrong)
    )


def test_every_field_reachable_from_query_and_subscription_has_a_row() -> None:
    missing = sorted(walk.reachable() - TABLE.keys())
    assert not missing, f"fields without a row in tests/access/matrix.py: {missing}"


def test_every_row_names_a_field_the_schema_has() -> None:
    stale = sorted(TABLE.keys() - walk.reachable())
    assert not stale, f"rows of tests/access/matrix.py for no reachable field: {stale}"


def test_the_walk_asks_every_reachable_field() -> None:
    asked = {cell.coordinate for cell in walk.gateway_cells() + walk.subscription_cells()}
    assert asked == walk.reachable()


@pytest.mark.timeout(300)
async def test_the_gateway_answers_every_caller_as_the_table_says(
    running_system: RunningSystem, world: World
) -> None:
    cells = walk.gateway_cells()
    async with httpx.AsyncClient(timeout=30) as client:
        jobs: list[Job] = [
            (caller, "gateway", gateway_batch(client, running_system.gateway, world, caller), cells)
            for caller in Caller
        ]
        asked = await ask_all(jobs)
    _assert_agrees(asked)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("graph", SERVICES)
async def test_each_subgraph_answers_its_entities_as_the_table_says(
    running_system: RunningSystem, world: World, graph: str
) -> None:
    url = f"{running_system.url(graph)}/graphql"
    async with httpx.AsyncClient(timeout=30) as client:
        jobs: list[Job] = [
            (caller, graph, entities_batch(client, url, graph, entity, world, caller), cells)
            for entity, cells in walk.entity_cells(graph).items()
            for caller in Caller
        ]
        asked = await ask_all(jobs)
    _assert_agrees(asked)


@pytest.mark.timeout(300)
async def test_the_credit_feed_sends_every_caller_what_the_table_says(
    running_system: RunningSystem, world: World
) -> None:
    cells = [c for c in walk.subscription_cells() if c.path[0].field == "creditEvents"]
    roots = {cell.path[0].field for cell in cells}
    owners = {g for root in roots for g in walk.SUPERGRAPH.field_graphs("Subscription", root)}
    urls = {"gateway": running_system.gateway}
    urls |= {graph: f"{running_system.url(graph)}/graphql" for graph in sorted(owners)}
    feeds = [(path, caller) for path in urls for caller in Caller]
    found = await asyncio.gather(
        *(feed_findings(urls[path], world.tokens[caller], cells, world) for path, caller in feeds)
    )
    asked = [
        Asked(cell, caller, path, finding)
        for (path, caller), findings in zip(feeds, found, strict=True)
        for cell, finding in zip(cells, findings, strict=True)
    ]
    _assert_agrees(asked)


@pytest.mark.timeout(300)
async def test_the_inbox_subscription_sends_every_caller_what_the_table_says(
    running_system: RunningSystem, world: World, stack: TestStack
) -> None:
    """Each caller subscribes to `notificationAdded` (through the gateway and the
    notifications subgraph) while a message goes to the learner and then, as markers,
    to each caller's own account: only the learner gets hers first. The messages are
    consents of strangers granted to each account (taken for an institution's), an
    event that changes nothing the matrix asks about in the other services."""
    cells = [c for c in walk.subscription_cells() if c.path[0].field == "notificationAdded"]
    urls = {"gateway": running_system.gateway}
    urls["notifications"] = f"{running_system.url('notifications')}/graphql"
    learners: set[str] = set()
    # every signed-in caller's account (the admin's too, which the world did not open)
    tokens = [token for token in world.tokens.values() if token]
    accounts = {jwt.decode(t, options={"verify_signature": False})["sub"] for t in tokens}
    settings = stack.settings("notifications", "sys")
    async with Bus.listening(settings, "notifications.#", "/services/accounts") as bus:

        async def tell() -> None:
            while True:
                for account in (world.learner, *accounts):
                    consent = new_id()
                    if account == world.learner:
                        learners.add(consent)
                    await bus.send("consent.granted", _granted(account, consent))
                await asyncio.sleep(1)

        teller = asyncio.create_task(tell())
        feeds = [(path, caller) for path in urls for caller in Caller]
        try:
            found = await asyncio.gather(
                *(
                    inbox_findings(urls[path], world.tokens[caller], cells, world, learners)
                    for path, caller in feeds
                )
            )
        finally:
            teller.cancel()
    asked = [
        Asked(cell, caller, path, finding)
        for (path, caller), findings in zip(feeds, found, strict=True)
        for cell, finding in zip(cells, findings, strict=True)
    ]
    _assert_agrees(asked)


def _granted(account: str, consent: str) -> dict[str, object]:
    """`consent.granted` of a stranger to `account`, as accounts publishes it."""
    return {
        "consentId": consent,
        "learnerId": new_id(),
        "institutionId": account,
        "grantedAt": wire.instant(datetime.now(UTC)),
        "expiresAt": wire.instant(datetime.now(UTC) + timedelta(days=30)),
    }
