"""One certification service for the module's tests, a bus to publish outcome
events to it and to hear what it publishes, and GraphQL helpers."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import pytest_asyncio

from cbkit import testing
from cbkit.auth import Role
from cbkit.envelope import Event
from cbkit.testing import TestStack, eventually, gql
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


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def cert(run_service: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with run_service(build()) as client:
        yield client


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def bus(stack: TestStack, cert: httpx.AsyncClient) -> AsyncIterator[Bus]:
    settings = stack.settings("certification")
    async with testing.listening_bus(settings, "certification.*", "/services/outcomes") as bus:
        yield Bus(bus.exchange, bus.source, bus.heard)


@pytest.fixture
def clock(cert: httpx.AsyncClient) -> Any:
    """The service's clock; a test may freeze it, and it thaws afterwards."""
    service_clock = cert.runtime.deps.clock  # type: ignore[attr-defined]
    yield service_clock
    service_clock.frozen_at = None


def new_id() -> str:
    return str(uuid.uuid4())


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
        "submittedAt": (submitted_at or datetime.now(UTC)).isoformat(),
        "evidence": [],
    } | overrides


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


async def open_case(client: httpx.AsyncClient, bus: Bus, data: dict[str, Any]) -> dict[str, Any]:
    """Send outcome.submitted and wait for the case it opens."""
    await bus.send("outcome.submitted", data)

    async def opened() -> bool:
        return await case_of(client, data["outcomeId"]) is not None

    await eventually(opened)
    case = await case_of(client, data["outcomeId"])
    assert case is not None
    return case


async def handled(client: httpx.AsyncClient, event: Event) -> None:
    """Wait until the service has processed `event`, whatever it made of it."""
    pool = client.runtime.pool  # type: ignore[attr-defined]

    async def done() -> bool:
        async with pool.acquire() as conn:
            found = await conn.fetchval(
                "SELECT true FROM processed_events WHERE event_id = $1", event.id
            )
        return bool(found)

    await eventually(done)


def error_code(result: dict[str, Any]) -> tuple[str, str | None]:
    error = result["errors"][0]["extensions"]
    return error["code"], error.get("field")


def tokens(stack: TestStack, account_id: str, role: Role) -> str:
    return stack.token(account_id, role)
