"""One certification service for the module's tests, a bus to publish outcome and
consent events to it and to hear what it publishes, and GraphQL helpers."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest_asyncio

from cbkit import testing, wire
from cbkit.auth import Role
from cbkit.envelope import Event
from cbkit.testing import TestStack, error_code, gql, handled, new_id, service_client, service_clock
from services.certification.service import build

CASE = """id status submittedOn dueOn workingDaysLeft overdue reviewer { id } decidedAt
  reason verifiedCredentialCode history { status by { id } at note }"""
OUTCOME = f"""query($id: ID!) {{ _entities(representations: [{{__typename: "Outcome", id: $id}}])
  {{ ... on Outcome {{ certification {{ {CASE} }} }} }} }}"""
BY_KEY = f"""query($id: ID!) {{ _entities(representations: [{{__typename: "Certification",
  id: $id}}]) {{ ... on Certification {{ {CASE} }} }} }}"""
QUEUE = """query($s: CertificationStatus, $o: Boolean) { reviewQueue(status: $s, overdueOnly: $o)
  { id status dueOn overdue outcome { id } } }"""
PAGE = """query($first: Int, $after: String, $status: CertificationStatus, $mine: Boolean,
  $unclaimed: Boolean, $overdue: Boolean, $kind: OutcomeKind, $learnerId: ID) {
  reviewQueueConnection(first: $first, after: $after, status: $status, mine: $mine,
    unclaimed: $unclaimed, overdue: $overdue, kind: $kind, learnerId: $learnerId) {
    edges { cursor node { id status dueOn reviewer { id } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    totalCount } }"""
CLAIM = """mutation($id: ID!) { claimCertification(id: $id) { id status reviewer { id } } }"""
DECIDE = """mutation($id: ID!, $d: Decision!, $r: String, $c: String) {
  decideCertification(id: $id, decision: $d, reason: $r, verifiedCredentialCode: $c)
  { id status reason decidedAt verifiedCredentialCode reviewer { id } } }"""


def beijing(day: str, hour: int = 10) -> datetime:
    """`hour` o'clock Beijing time on `day`, as a UTC instant."""
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00+08:00").astimezone(UTC)


class Bus(testing.Bus):
    """Publishes outcome events as outcomes would (and consent events as accounts
    would), records certification events, and signs the token of a learner it
    submitted for."""

    stack: TestStack

    def about(self, case_id: str, routing_key: str | None = None) -> list[Event]:
        return self.heard_about("caseId", case_id, routing_key)

    def learner(self, data: dict[str, Any]) -> str:
        """The token of the learner whose outcome `data` is about."""
        return self.stack.token(data["learnerId"], Role.LEARNER)


ACCOUNTS = "/services/accounts"

certification = service_client(build, "certification")


def isolated(namespace: str) -> tuple[Any, Any]:
    """Module fixtures `certification` and `bus` of a service with a database, queue
    and exchange of its own (under `namespace`), for tests that count every case:
    assign both in the module, `certification, bus = isolated("figures")`."""

    client = service_client(build, "certification", namespace)

    @pytest_asyncio.fixture(name="bus", scope="module", loop_scope="session")
    async def own_bus(stack: TestStack, certification: httpx.AsyncClient) -> AsyncIterator[Bus]:
        settings = stack.settings("certification", namespace)
        async with Bus.listening(settings, "certification.*", "/services/outcomes") as bus:
            bus.stack = stack
            yield bus

    return client, own_bus


def account_closed(account_id: str, closed_at: datetime, role: Role = Role.LEARNER) -> Event:
    """`account.closed` as accounts publishes it."""
    data = {"accountId": account_id, "role": role.value, "closedAt": wire.instant(closed_at)}
    return Event("account.closed", ACCOUNTS, account_id, data)


def consent_granted(
    learner_id: str,
    institution_id: str,
    expires_at: datetime,
    granted_at: datetime,
    consent_id: str | None = None,
) -> Event:
    """`consent.granted` as accounts publishes it (a re-grant keeps the consent's id)."""
    data = {
        "consentId": consent_id or new_id(),
        "learnerId": learner_id,
        "institutionId": institution_id,
        "grantedAt": wire.instant(granted_at),
        "expiresAt": wire.instant(expires_at),
    }
    return Event("consent.granted", ACCOUNTS, learner_id, data)


def consent_revoked(granted: Event, revoked_at: datetime) -> Event:
    """`consent.revoked` of the consent that `granted` granted."""
    data = {key: granted.data[key] for key in ("consentId", "learnerId", "institutionId")}
    revoked = data | {"revokedAt": wire.instant(revoked_at)}
    return Event("consent.revoked", ACCOUNTS, granted.subject, revoked)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def bus(stack: TestStack, certification: httpx.AsyncClient) -> AsyncIterator[Bus]:
    async with outcomes_bus(stack) as bus:
        yield bus


@contextlib.asynccontextmanager
async def outcomes_bus(stack: TestStack) -> AsyncIterator[Bus]:
    """A bus that speaks as outcomes (and accounts) on the stack's exchange."""
    settings = stack.settings("certification")
    async with Bus.listening(settings, "certification.*", "/services/outcomes") as bus:
        bus.stack = stack
        yield bus


clock = service_clock("certification")


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
    client: httpx.AsyncClient, outcome_id: str, token: str | None
) -> dict[str, Any] | None:
    """The outcome's case as the holder of `token` reads it."""
    found = await gql(client, OUTCOME, {"id": outcome_id}, token)
    case: dict[str, Any] | None = found["data"]["_entities"][0]["certification"]
    return case


Seen = dict[str, Any] | tuple[str, str | None]


async def sight(
    client: httpx.AsyncClient, data: dict[str, Any], case_id: str, token: str | None
) -> list[Seen]:
    """What the holder of `token` gets of the case on the outcome `data` submitted,
    through the outcome and by the case's key: all of it, or the refusal's code and
    field (and then nothing of it)."""
    through_outcome = await gql(client, OUTCOME, {"id": data["outcomeId"]}, token)
    by_key = await gql(client, BY_KEY, {"id": case_id}, token)
    return [
        _case_or_refusal(through_outcome, through_outcome["data"]["_entities"][0]["certification"]),
        _case_or_refusal(by_key, by_key["data"]["_entities"][0]),
    ]


FORBIDDEN = [("FORBIDDEN", "certification"), ("FORBIDDEN", "id")]
"""What `sight` gets of a case the caller may not read."""


async def reads(
    client: httpx.AsyncClient, data: dict[str, Any], case_id: str, token: str | None
) -> bool:
    """Whether the holder of `token` reads the case, through its outcome and by key."""
    seen = await sight(client, data, case_id, token)
    if seen == FORBIDDEN:
        return False
    shown = [s for s in seen if isinstance(s, dict)]
    assert [s["id"] for s in shown] == [case_id, case_id], seen
    return True


def _case_or_refusal(answer: dict[str, Any], case: dict[str, Any] | None) -> Seen:
    if "errors" in answer:
        assert case is None, f"refused, yet answered {case}"
        assert len(answer["errors"]) == 1, answer
        return error_code(answer)
    assert case is not None
    return case


async def current(client: httpx.AsyncClient, outcome_id: str, token: str | None) -> dict[str, Any]:
    """The outcome's case, which must exist."""
    case = await case_of(client, outcome_id, token)
    assert case is not None, f"outcome {outcome_id} has no case"
    return case


async def open_case(client: httpx.AsyncClient, bus: Bus, data: dict[str, Any]) -> dict[str, Any]:
    """Send outcome.submitted and wait for the case it opens, as its learner sees it."""
    await handled(client, await bus.send("outcome.submitted", data))
    return await current(client, data["outcomeId"], bus.learner(data))


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
    client: httpx.AsyncClient, bus: Bus, data: dict[str, Any], token: str
) -> dict[str, Any]:
    """Open a case on `data` and claim it as the holder of `token`; the case claimed."""
    case = await open_case(client, bus, data)
    answer = await claim(client, case["id"], token)
    assert "errors" not in answer, answer
    return await current(client, data["outcomeId"], token)


async def queue_page(
    client: httpx.AsyncClient, token: str | None, **variables: Any
) -> dict[str, Any]:
    """One page of `reviewQueueConnection` as the holder of `token`: the whole answer."""
    return await gql(client, PAGE, variables, token)


async def queue_ids(client: httpx.AsyncClient, token: str | None, **variables: Any) -> list[str]:
    """The ids of the whole queue (first=100 pages followed to the end), checking that
    totalCount says as many."""
    ids: list[str] = []
    after = None
    while True:
        answer = await queue_page(client, token, first=100, after=after, **variables)
        assert "errors" not in answer, answer
        found = answer["data"]["reviewQueueConnection"]
        ids += [edge["node"]["id"] for edge in found["edges"]]
        if not found["pageInfo"]["hasNextPage"]:
            assert found["totalCount"] == len(ids), (found["totalCount"], len(ids))
            return ids
        after = found["pageInfo"]["endCursor"]
