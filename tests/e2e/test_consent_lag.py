"""A revoked consent closes every path in every service: how long after the learner
revokes it each service refuses the institution (docs/security.md states it)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from cbkit.testing import RunningSystem, gql
from gateway.tests.world import World, seed_world

CONSENTS = "{ me { consents { id active institution { id } } } }"
REVOKE = "mutation($c: ID!) { revokeConsent(consentId: $c) { id active } }"
READS = {
    "accounts": ("accounts", "query($l: ID!) { account(id: $l) { balance { available } } }"),
    "outcomes": (
        "outcomes",
        """query($l: ID!) { _entities(representations: [{__typename: "Account", id: $l}])
        { ... on Account { outcomes { title } } } }""",
    ),
    "certification": (
        "certification",
        """query($o: ID!) { _entities(representations: [{__typename: "Outcome", id: $o}])
        { ... on Outcome { certification { status } } } }""",
    ),
    "conversion": (
        "conversion",
        """query($l: ID!) { _entities(representations: [{__typename: "Account", id: $l}])
        { ... on Account { conversions { credits } } } }""",
    ),
}
"""Per service, what the institution reads of the learner there, asked of the service
itself (as the gateway, or anyone on the network, would)."""
WITHIN_SECONDS = 10.0


def refused(answer: dict[str, Any]) -> bool:
    codes = {e.get("extensions", {}).get("code") for e in answer.get("errors") or []}
    return bool(codes & {"FORBIDDEN", "UNAUTHENTICATED"})


async def lag_until_refused(
    client: httpx.AsyncClient, url: str, query: str, variables: dict[str, str], token: str
) -> float:
    started = time.perf_counter()
    while not refused(await gql(client, query, variables, token, path=url)):
        if time.perf_counter() - started > WITHIN_SECONDS:
            raise AssertionError(f"{url} still answers {WITHIN_SECONDS} s after the revocation")
        await asyncio.sleep(0.01)
    return time.perf_counter() - started


async def test_every_service_refuses_the_institution_soon_after_the_consent_is_revoked(
    running_system: RunningSystem,
) -> None:
    world: World = await seed_world(
        running_system.gateway, running_system.url("gateway"), tag="-lag"
    )
    learner, institution = world.tokens["learner"], world.tokens["institution"]
    async with httpx.AsyncClient(timeout=10) as client:
        me = await gql(client, CONSENTS, token=learner, path=running_system.gateway)
        [consent] = [
            c["id"]
            for c in me["data"]["me"]["consents"]
            if c["active"] and c["institution"]["id"] == world.ids["institution"]
        ]
        variables = {"l": world.ids["learner"], "o": world.ids["principal"]}
        urls = {
            name: f"{running_system.url(service)}/graphql" for name, (service, _) in READS.items()
        }
        for name, (_, query) in READS.items():
            before = await gql(client, query, variables, institution, path=urls[name])
            assert not before.get("errors"), (name, before)

        revoked = await gql(client, REVOKE, {"c": consent}, learner, path=running_system.gateway)
        assert revoked["data"]["revokeConsent"]["active"] is False
        lags = await asyncio.gather(
            *(
                lag_until_refused(client, urls[name], query, variables, institution)
                for name, (_, query) in READS.items()
            )
        )
    print(
        "consent revocation lag:",
        {n: f"{s * 1000:.0f} ms" for n, s in zip(READS, lags, strict=True)},
    )
