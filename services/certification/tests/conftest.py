"""One certification service for the module's tests, a bus to publish outcome
events to it and to hear what it publishes, and GraphQL helpers."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import pytest_asyncio

from cbkit import testing, wire
from cbkit.clock import Clock
from cbkit.envelope import Event
from cbkit.testing import TestStack, eventually, gql, new_id, service_client
from services.certification.service import build

OUTCOME = """query($id: ID!) { _entities(representations: [{__typename: "Outcome", id: $id}])
  { ... on Outcome { certification { id status submittedOn dueOn workingDaysLeft overdue
    reviewer { id } decidedAt reason verifiedCredentialCode
    history { status by { id } at note } } } } }"""
QUEUE = """query($s: CertificationStatus, $o: Boolean) { reviewQueue(status: $s, overdueOnly: $o)
  { id status dueOn overdue outcome { id } } }"""
CLAIM = """mutation($id: ID!) { claimCertification(id: $id) { id status reviewer { id } } }"""
DECIDE = """mutation($id: ID!, $d: Decision!, $r: String, $c: String) {
  decideCertification(id: $id, decision: $d, reason: $r, verifiedCredentialCode: $c)
  { id status reason decidedAt verifiedCredentialCode reviewer { id } } }"""


class Bus(testing.Bus):
    """Publishes outcome events as outcomes would and records certification events."""

    def about(self, case_id: str, routing_key: str | None = None) -> list[Event]:
        return self.heard_about("caseId", case_id, routing_key)


certification = service_client(build, "certification")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def bus(stack: TestStack, certification: httpx.AsyncClient) -> AsyncIterator[Bus]:
    async with outcomes_bus(stack) as bus:
        yield bus


def outcomes_bus(stack: TestStack) -> contextlib.AbstractAsyncContextManager[Bus]:
    """A bus that speaks as outcomes on the stack's exchange."""
    settings = stack.settings("certification")
    return Bus.listening(settings, "certification.*", "/services/outcomes")


@pytest.fixture
def clock(certification: httpx.AsyncClient) -> Iterator[Clock]:
    """The service's clock; a test may freeze it, and it thaws afterwards."""
    service_clock: Clock = certification.runtime.deps.clock  # type: ignore[attr-defined]
    yield service_clock
    service_clock.frozen_at = None


def submitted(
    learner_id: str | None = None,
    submitted_at: datetime | None = None,
    credential_code: str | None = "CN-PRESCHOOL-TEACHER",
    **overrides: Any,
) -> dict[str, Any]:
    return {
        "outcomeId": new_id(),
        "learnerId": learner_id or new_id(),
        "kind": "QUALIFICATION_CERTIFICATE",
        "title": "Preschool teacher qualification",
        "issuer": "Chongqing Education Commission",
        "credentialCode": credential_code,
        "achievedOn": "2024-06-30",
        "hours": 120,
        "submittedAt": wire.instant(submitted_at or datetime.now(UTC)),
        "evidence": [],
    } | overrides


def following(data: dict[str, Any], **more: Any) -> dict[str, Any]:
    """The data of a later event about the outcome `data` submitted; instants on the wire."""
    return {"outcomeId": data["outcomeId"], "learnerId": data["learnerId"]} | {
        key: wire.instant(value) if isinstance(value, datetime) else value
        for key, value in more.items()
    }


async def case_of(
    client: httpx.AsyncClient, outcome_id: str, token: str | None = None
) -> dict[str, Any] | None:
    found = await gql(client, OUTCOME, {"id": outcome_id}, token)
    case: dict[str, Any] | None = found["data"]["_entities"][0]["certification"]
    return case


async def current(
    client: httpx.AsyncClient, outcome_id: str, token: str | None = None
) -> dict[str, Any]:
    """The outcome's case, which must exist."""
    case = await case_of(client, outcome_id, token)
    assert case is not None, f"outcome {outcome_id} has no case"
    return case


async def open_case(
    client: httpx.AsyncClient, bus: testing.Bus, data: dict[str, Any]
) -> dict[str, Any]:
    """Send outcome.submitted and wait for the case it opens."""
    await bus.send("outcome.submitted", data)

    async def opened() -> bool:
        return await case_of(client, data["outcomeId"]) is not None

    await eventually(opened)
    return await current(client, data["outcomeId"])


async def claim(client: httpx.AsyncClient, case_id: str, token: str | None) -> dict[str, Any]:
    """Claim the case as the holder of `token`: the whole answer, errors included."""
    return await gql(client, CLAIM, {"id": case_id}, token)


async def decide(
    client: httpx.AsyncClient,
    case_id: str,
    token: str | None,
    decision: str,
    reason: str | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    """Decide the case as the holder of `token`: the whole answer, errors included."""
    variables = {"id": case_id, "d": decision, "r": reason, "c": code}
    return await gql(client, DECIDE, variables, token)


async def claimed(
    client: httpx.AsyncClient, bus: testing.Bus, data: dict[str, Any], token: str
) -> dict[str, Any]:
    """Open a case on `data` and claim it as the holder of `token`; the case claimed."""
    case = await open_case(client, bus, data)
    answer = await claim(client, case["id"], token)
    assert "errors" not in answer, answer
    return await current(client, data["outcomeId"])
