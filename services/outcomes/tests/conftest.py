"""One outcomes service per test module, a bus to send it the events it follows
and to hear what it publishes, and helpers to upload files and ask GraphQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest_asyncio

from cbkit import testing, wire
from cbkit.auth import Role
from cbkit.envelope import Event
from cbkit.testing import TestStack, error_code, gql, handled, new_id, service_client, service_clock
from services.outcomes.service import build

PDF = b"%PDF-1.7\n"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff\xe0"

ADD = """mutation($input: AddResultInput!) { addResult(input: $input) {
  id status kind title issuer credentialCode achievedOn hours learner { id }
  evidence { id filename contentType size sha256 } } }"""
RESUBMIT = """mutation($id: ID!, $note: String!, $ev: [ID!]) {
  resubmitResult(id: $id, note: $note, evidenceIds: $ev) { id status evidence { id } } }"""
WITHDRAW = """mutation($id: ID!) { withdrawResult(id: $id) { id status } }"""
OUTCOME = """query($id: ID!) { outcome(id: $id) { id status title evidence { id } } }"""


class Bus(testing.Bus):
    """Sends events as other services would; keeps what outcomes publishes."""

    def about(self, outcome_id: str, routing_key: str) -> list[Event]:
        return self.heard_about("outcomeId", outcome_id, routing_key)

    async def told(
        self, client: httpx.AsyncClient, routing_key: str, data: dict[str, Any], source: str
    ) -> Event:
        """Send an event as `source` would, once outcomes has handled it."""
        event = await self.send(routing_key, data, source=source)
        await handled(client, event)
        return event

    async def certification_step(
        self,
        client: httpx.AsyncClient,
        routing_key: str,
        outcome: tuple[str, str],
        sequence: int,
        reviewer_id: str | None = None,
    ) -> Event:
        """certification.<routing_key> about `outcome` (its id and its learner's)."""
        outcome_id, learner_id = outcome
        data = {
            "caseId": new_id(),
            "outcomeId": outcome_id,
            "learnerId": learner_id,
            "reviewerId": reviewer_id or new_id(),
            "sequence": sequence,
            "reason": "a reason",
        }
        return await self.told(
            client, f"certification.{routing_key}", data, "/services/certification"
        )


@dataclass(frozen=True)
class Consent:
    """A learner's consent to an institution, as accounts announces it."""

    id: str
    learner_id: str
    institution_id: str

    async def granted(
        self,
        bus: Bus,
        client: httpx.AsyncClient,
        expires_at: datetime,
        granted_at: datetime | None = None,
    ) -> None:
        at = granted_at or datetime.now(UTC)
        times = {"grantedAt": wire.instant(at), "expiresAt": wire.instant(expires_at)}
        await bus.told(client, "consent.granted", self._data() | times, "/services/accounts")

    async def revoked(
        self, bus: Bus, client: httpx.AsyncClient, revoked_at: datetime | None = None
    ) -> None:
        at = {"revokedAt": wire.instant(revoked_at or datetime.now(UTC))}
        await bus.told(client, "consent.revoked", self._data() | at, "/services/accounts")

    def _data(self) -> dict[str, Any]:
        ids = (self.id, self.learner_id, self.institution_id)
        return dict(zip(("consentId", "learnerId", "institutionId"), ids, strict=True))


outcomes = service_client(build, "outcomes")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def bus(stack: TestStack, outcomes: httpx.AsyncClient) -> AsyncIterator[Bus]:
    async with Bus.listening(stack.settings("outcomes"), "outcome.*", "/test") as bus:
        yield bus


clock = service_clock("outcomes")


def learner(stack: TestStack) -> tuple[str, str]:
    """A new learner's id and token."""
    account = new_id()
    return account, stack.token(account, Role.LEARNER)


def pdf(size: int = 2048, salt: str | None = None) -> bytes:
    """A PDF-looking file of `size` bytes, unique unless `salt` is given."""
    head = PDF + (salt or new_id()).encode()
    return head + b"\0" * (size - len(head))


async def upload(
    client: httpx.AsyncClient,
    token: str | None,
    content: bytes,
    filename: str = "certificate.pdf",
    declared: str = "application/pdf",
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await client.post(
        "/evidence", files={"file": (filename, content, declared)}, headers=headers
    )


async def download(
    client: httpx.AsyncClient, evidence_id: str, token: str | None = None
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await client.get(f"/evidence/{evidence_id}", headers=headers)


async def uploaded(client: httpx.AsyncClient, token: str, content: bytes | None = None) -> str:
    """The id of a new upload by the token's learner."""
    response = await upload(client, token, content or pdf())
    assert response.status_code == 201, response.text
    evidence_id: str = response.json()["id"]
    return evidence_id


async def stored_chunks(client: httpx.AsyncClient) -> int:
    """How many chunks of file bytes the service holds (no API shows it)."""
    async with client.runtime.pool.acquire() as conn:  # type: ignore[attr-defined]
        count: int = await conn.fetchval("SELECT count(*) FROM evidence_chunks")
    return count


def result_input(evidence_ids: list[str], **overrides: Any) -> dict[str, Any]:
    return {
        "kind": "QUALIFICATION_CERTIFICATE",
        "title": "Preschool teacher qualification",
        "issuer": "Chongqing Education Commission",
        "credentialCode": "cn-preschool-teacher",
        "achievedOn": "2024-06-30",
        "hours": 120,
        "evidenceIds": evidence_ids,
    } | overrides


async def add_result(client: httpx.AsyncClient, token: str, **overrides: Any) -> dict[str, Any]:
    """A new result with one new evidence file; fails the test if refused."""
    evidence = overrides.pop("evidenceIds", None) or [await uploaded(client, token)]
    found = await gql(client, ADD, {"input": result_input(evidence, **overrides)}, token)
    assert "errors" not in found, found
    outcome: dict[str, Any] = found["data"]["addResult"]
    return outcome


def refusal(result: dict[str, Any]) -> tuple[str, str | None, str]:
    """(code, field, message) of the first error, and nothing was returned."""
    assert not any((result.get("data") or {}).values())
    code, field = error_code(result)
    return code, field, result["errors"][0]["message"]
