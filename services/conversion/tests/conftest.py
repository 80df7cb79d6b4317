"""Fixtures for the conversion tests: one running service per module, an admin, a bus
that publishes events as other services would and hears what conversion publishes,
and a catalog built through the admin API."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest_asyncio

from cbkit import testing, wire
from cbkit.auth import Role
from cbkit.envelope import Event
from cbkit.testing import TestStack, gql, handled, new_id, service_client, service_clock
from services.conversion.service import build

CERTIFICATION = "/services/certification"
ACCOUNTS = "/services/accounts"
OUTCOMES = "/services/outcomes"


class Bus(testing.Bus):
    """Publishes approvals, consents and ledger events; hears conversion's events."""

    def of(self, routing_key: str, learner_id: str) -> list[dict[str, Any]]:
        """The data of the `routing_key` events heard about `learner_id`."""
        return [e.data for e in self.heard_about("learnerId", learner_id, routing_key)]

    async def approve(self, learner_id: str, credential_code: str | None, **options: Any) -> Event:
        """Publish the approval of a new outcome of the learner, as certification would."""
        data = approved(learner_id, credential_code, **options)
        return await self.send("certification.approved", data)

    async def submit(self, learner_id: str) -> Event:
        """Publish a new outcome of the learner, as outcomes would (what is read of it)."""
        data = {"outcomeId": new_id(), "learnerId": learner_id}
        return await self.send("outcome.submitted", data, OUTCOMES)

    async def grant(
        self,
        consent: dict[str, str],
        expires_at: datetime,
        granted_at: datetime = datetime(2025, 1, 1, tzinfo=UTC),
        sent_at: datetime | None = None,
    ) -> Event:
        """Publish a grant (or re-grant) of `consent`, as accounts would, sent at
        `sent_at` (now by default)."""
        data = {**consent, "grantedAt": wire.instant(granted_at)}
        data["expiresAt"] = wire.instant(expires_at)
        event = Event("consent.granted", ACCOUNTS, consent["learnerId"], data)
        if sent_at is not None:
            event = dataclasses.replace(event, time=sent_at)
        await self.resend(event)
        return event

    async def revoke(self, consent: dict[str, str], revoked_at: datetime) -> Event:
        data = {**consent, "revokedAt": wire.instant(revoked_at)}
        return await self.send("consent.revoked", data, ACCOUNTS)


conversion = service_client(build, "conversion")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def bus(stack: TestStack, conversion: httpx.AsyncClient) -> AsyncIterator[Bus]:
    async with Bus.listening(stack.settings("conversion"), "#", CERTIFICATION) as bus:
        yield bus


clock = service_clock("conversion")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def admin(stack: TestStack) -> str:
    return stack.token(new_id(), Role.ADMIN)


def learner(stack: TestStack) -> tuple[str, str]:
    """A new learner's id and token."""
    account = new_id()
    return account, stack.token(account, Role.LEARNER)


def consent_to(learner_id: str, institution_id: str) -> dict[str, str]:
    """A new consent of the learner to the institution: what its events share."""
    return {"consentId": new_id(), "learnerId": learner_id, "institutionId": institution_id}


async def account_view(
    client: httpx.AsyncClient, query: str, account: str, token: str
) -> dict[str, Any]:
    """What `query` selects of the learner's `Account`, as the holder of `token` sees it."""
    found = await gql(client, query, {"id": account}, token)
    assert "errors" not in found, found
    view: dict[str, Any] = found["data"]["_entities"][0]
    return view


def approved(
    learner_id: str,
    credential_code: str | None,
    *,
    achieved_on: str = "2024-06-30",
    kind: str = "QUALIFICATION_CERTIFICATE",
    hours: int | None = None,
    decided_at: datetime | None = None,
) -> dict[str, Any]:
    """The data of `certification.approved` for a new outcome."""
    return {
        "caseId": new_id(),
        "outcomeId": new_id(),
        "learnerId": learner_id,
        "reviewerId": new_id(),
        "kind": kind,
        "credentialCode": credential_code,
        "hours": hours,
        "achievedOn": achieved_on,
        "decidedAt": wire.instant(decided_at or datetime.now(UTC)),
        "sequence": 3,
    }


UPSERT_MAJOR = """mutation($code: String!, $name: String!, $cap: Decimal) {
  upsertMajor(code: $code, name: $name, credentialCreditCap: $cap) { code name } }"""
UPSERT_COURSE = """mutation($code: String!, $name: String!, $credits: Decimal!, $major: String!) {
  upsertCourse(code: $code, name: $name, credits: $credits, majorCode: $major)
  { code credits major { code } } }"""
UPSERT_CREDENTIAL = """mutation($code: String!) {
  upsertCredentialType(code: $code, name: "Some certificate", authority: "Some authority")
  { code } }"""
UPSERT_RULE = """mutation($credential: String, $kind: OutcomeKind, $minHours: Int,
  $course: String!, $credits: Decimal!, $from: Date!, $until: Date, $years: Int,
  $partial: Boolean! = false) {
  upsertConversionRule(credentialCode: $credential, outcomeKind: $kind, minHours: $minHours,
    courseCode: $course, credits: $credits, validFrom: $from, validUntil: $until,
    creditValidityYears: $years, allowPartial: $partial)
  { id credentialCode course { code } credits validFrom validUntil } }"""
UPSERT_PROGRAM = """mutation($code: String!, $courses: [String!]!, $min: Decimal) {
  upsertCertificateProgram(code: $code, name: "Programme", requiredCourseCodes: $courses,
    minCredits: $min) { code minCredits requiredCourses { code } } }"""


class Catalog:
    """Builds a small catalog of its own through the admin API: codes unique per test."""

    def __init__(self, client: httpx.AsyncClient, admin: str) -> None:
        self.client = client
        self.admin = admin
        self.tag = new_id()[:6].upper()

    def code(self, name: str) -> str:
        return f"T{self.tag}-{name}"

    async def run(self, query: str, **variables: Any) -> dict[str, Any]:
        result = await gql(self.client, query, variables, self.admin)
        assert "errors" not in result, result
        data: dict[str, Any] = result["data"]
        return data

    async def major(self, name: str = "M", cap: str | None = None) -> str:
        await self.run(UPSERT_MAJOR, code=self.code(name), name=f"Major {name}", cap=cap)
        return self.code(name)

    async def course(self, name: str, credits: str, major: str) -> str:
        await self.run(
            UPSERT_COURSE, code=self.code(name), name=f"Course {name}", credits=credits, major=major
        )
        return self.code(name)

    async def credential(self, name: str) -> str:
        await self.run(UPSERT_CREDENTIAL, code=self.code(name))
        return self.code(name)

    async def rule(self, course: str, credits: str, **options: Any) -> str:
        variables = {"course": course, "credits": credits, "from": "2020-01-01", **options}
        data = await self.run(UPSERT_RULE, **variables)
        rule_id: str = data["upsertConversionRule"]["id"]
        return rule_id

    async def program(self, name: str, courses: list[str], min_credits: str | None = None) -> str:
        await self.run(UPSERT_PROGRAM, code=self.code(name), courses=courses, min=min_credits)
        return self.code(name)

    async def credential_rule(self, course_credits: str, credits: str) -> tuple[str, str, str]:
        """A course (in a major of its own) and a credential with a rule that earns
        `credits` of it: the course's and credential's codes and the rule's id."""
        course = await self.course("C", course_credits, await self.major())
        credential = await self.credential("CERT")
        return course, credential, await self.rule(course, credits, credential=credential)

    async def course_with_rule(self, name: str, credits: str, major: str) -> tuple[str, str]:
        """A course and a credential of its own that earns all its credits: their codes."""
        course = await self.course(f"C{name}", credits, major)
        credential = await self.credential(name)
        await self.rule(course, credits, credential=credential)
        return course, credential


@dataclasses.dataclass(frozen=True)
class Credited:
    """A learner with a result that converted (and completed a programme), one that
    was refused (its course was credited already) and one still waiting for review."""

    id: str
    token: str
    converted: Event
    declined: Event
    pending: Event


async def credited_learner(
    conversion: httpx.AsyncClient, bus: Bus, admin: str, stack: TestStack
) -> Credited:
    catalog = Catalog(conversion, admin)
    course, credential = await catalog.course_with_rule("1", "2.0", await catalog.major())
    await catalog.program("P", [course])
    account, token = learner(stack)
    converted = await bus.approve(account, credential)
    await handled(conversion, converted)
    declined = await bus.approve(account, credential)  # its course is credited already
    pending = await bus.submit(account)
    for event in (declined, pending):
        await handled(conversion, event)
    return Credited(account, token, converted, declined, pending)
