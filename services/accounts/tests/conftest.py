"""A running accounts service for the module's tests, and ways to sign in as each role."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest_asyncio

from cbkit.consumer import handle_once
from cbkit.envelope import Event
from cbkit.testing import Bus, TestStack, eventually, gql, new_id, service_client
from services.accounts.events import handlers
from services.accounts.service import DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD, build

PASSWORD = "a-long-enough-password"


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


@dataclass(frozen=True)
class Person:
    id: str
    token: str
    email: str


OPEN = """mutation($email: String!, $password: String!, $name: String!) {
  openAccount(email: $email, password: $password, displayName: $name) { token account { id } } }"""
LOGIN = """mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { token account { id role } } }"""
STAFF = """mutation($role: Role!, $email: String!, $password: String!, $name: String!) {
  createStaffAccount(role: $role, email: $email, password: $password, displayName: $name) {
    id } }"""


def unique_email(name: str) -> str:
    return f"{name.lower().replace(' ', '.')}.{new_id()[:8]}@example.org"


class People:
    """Opens accounts of every role through the API."""

    def __init__(self, client: httpx.AsyncClient, admin: Person) -> None:
        self.client = client
        self.admin = admin

    async def learner(self, name: str = "Li Na") -> Person:
        email = unique_email(name)
        body = await gql(self.client, OPEN, {"email": email, "password": PASSWORD, "name": name})
        opened = body["data"]["openAccount"]
        return Person(opened["account"]["id"], opened["token"], email)

    async def staff(self, role: str, name: str) -> Person:
        email = unique_email(name)
        variables = {"role": role, "email": email, "password": PASSWORD, "name": name}
        body = await gql(self.client, STAFF, variables, self.admin.token)
        assert "errors" not in body, body
        return await login(self.client, email, PASSWORD)


async def login(client: httpx.AsyncClient, email: str, password: str) -> Person:
    body = await gql(client, LOGIN, {"email": email, "password": password})
    assert "errors" not in body, body
    signed_in = body["data"]["login"]
    return Person(signed_in["account"]["id"], signed_in["token"], email)


def new_address() -> str:
    """A client address of its own, so that a test's failed sign-ins slow no other test."""
    return f"2001:db8::{new_id()[:4]}:{new_id()[:4]}"


async def from_address(
    client: httpx.AsyncClient,
    address: str,
    query: str,
    variables: dict[str, Any],
    token: str | None = None,
) -> dict[str, Any]:
    """An operation from the client at `address`, as the gateway forwards it
    (X-Forwarded-For)."""
    return await gql(client, query, variables, token, headers={"X-Forwarded-For": address})


async def attempt(
    client: httpx.AsyncClient, email: str, password: str, address: str
) -> dict[str, Any]:
    """A sign-in from `address`."""
    return await from_address(client, address, LOGIN, {"email": email, "password": password})


accounts = service_client(build, "accounts")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def people(accounts: httpx.AsyncClient) -> People:
    return People(accounts, await login(accounts, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD))


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def bus(stack: TestStack, accounts: httpx.AsyncClient) -> AsyncIterator[Bus]:
    """Every event on the test run's exchange; what it sends comes from conversion."""
    async with Bus.listening(stack.settings("accounts"), "#", "/services/conversion") as bus:
        yield bus


async def heard(bus: Bus, routing_key: str, key: str, value: str) -> list[Event]:
    """The events of `routing_key` whose data has `key` = `value`, once one has arrived."""

    async def arrived() -> bool:
        return bool(bus.heard_about(key, value, routing_key))

    await eventually(arrived)
    return bus.heard_about(key, value, routing_key)


@contextlib.contextmanager
def clock_at(client: httpx.AsyncClient, instant: datetime) -> Iterator[None]:
    """The service's clock stopped at `instant` for a while: to make a consent expire."""
    clock = client.runtime.deps.clock  # type: ignore[attr-defined]
    clock.frozen_at = instant
    try:
        yield
    finally:
        clock.frozen_at = None


def today(client: httpx.AsyncClient) -> date:
    """Today where the service's calendar applies."""
    found: date = client.runtime.deps.clock.today()  # type: ignore[attr-defined]
    return found


def converted(
    learner_id: str,
    course_code: str,
    credits: str = "2.0",
    expires_on: str | None = None,
    conversion_id: str | None = None,
) -> Event:
    """A `credits.converted` event as conversion publishes it."""
    conversion_id = conversion_id or new_id()
    return Event(
        routing_key="credits.converted",
        source="/services/conversion",
        subject=learner_id,
        data={
            "conversionId": conversion_id,
            "learnerId": learner_id,
            "outcomeId": new_id(),
            "courseCode": course_code,
            "majorCode": "PRESCHOOL-EDU",
            "credits": credits,
            "ruleId": new_id(),
            "expiresOn": expires_on,
            "convertedAt": "2026-03-01T08:00:00+00:00",
        },
    )


def revoked(conversion: Event, reason: str = "certificate withdrawn by its issuer") -> Event:
    data = conversion.data
    return Event(
        routing_key="credits.revoked",
        source="/services/conversion",
        subject=conversion.subject,
        data={
            "conversionId": data["conversionId"],
            "learnerId": data["learnerId"],
            "courseCode": data["courseCode"],
            "credits": data["credits"],
            "reason": reason,
            "revokedAt": "2026-04-01T08:00:00+00:00",
        },
    )


async def consume(client: httpx.AsyncClient, event: Event) -> bool:
    """Hand an event to the running service's consumer as a delivery would; True if new."""
    runtime = client.runtime  # type: ignore[attr-defined]
    return await handle_once(runtime.pool, handlers(runtime.deps)[event.routing_key], event)


GRANT = """mutation($institution: ID!, $expires: DateTime!) {
  grantConsent(institutionId: $institution, expiresAt: $expires) {
    id active grantedAt expiresAt revokedAt learner { id } institution { id displayName } } }"""
REVOKE = """mutation($id: ID!) { revokeConsent(consentId: $id) { id active revokedAt } }"""
REDEEM = """mutation($learner: ID!, $course: String!) {
  redeemCredits(learnerId: $learner, courseCode: $course) {
    id courseCode credits redeemedAt learner { id } institution { id } } }"""
BALANCE = """query($id: ID!) { account(id: $id) {
  balance { available redeemed expired earned } } }"""


def in_days(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def grant(
    client: httpx.AsyncClient, learner: Person, institution: Person, expires_in: float = 30
) -> str:
    variables = {"institution": institution.id, "expires": in_days(expires_in)}
    body = await gql(client, GRANT, variables, learner.token)
    assert "errors" not in body, body
    consent_id: str = body["data"]["grantConsent"]["id"]
    return consent_id


async def balance(client: httpx.AsyncClient, person: Person) -> dict[str, str]:
    body = await gql(client, BALANCE, {"id": person.id}, person.token)
    assert "errors" not in body, body
    found: dict[str, str] = body["data"]["account"]["balance"]
    return found


def course_changed(
    code: str,
    retired_from: str | None = None,
    changed_at: str = "2026-01-01T00:00:00Z",
    name_zh: str = "教研工作管理",
    name_en: str = "Teaching and research work management",
) -> Event:
    """A `catalog.course_changed` event as conversion publishes it."""
    return Event(
        routing_key="catalog.course_changed",
        source="/services/conversion",
        subject=code,
        data={
            "code": code,
            "majorCode": "PRESCHOOL-EDU",
            "nameZh": name_zh,
            "nameEn": name_en,
            "credits": "2.0",
            "retiredFrom": retired_from,
            "changedAt": changed_at,
        },
    )


SET_PROFILE = """mutation($id: ID!, $code: String!, $zh: String!, $en: String!, $city: String!) {
  setInstitutionProfile(institutionId: $id, code: $code, nameZh: $zh, nameEn: $en,
    city: $city) { id code name nameZh nameEn city } }"""
SET_COURSES = """mutation($codes: [String!]!, $id: ID) {
  setCoursesOffered(courseCodes: $codes, institutionId: $id) {
    code coursesOffered { code } } }"""


async def offer(client: httpx.AsyncClient, institution: Person, *course_codes: str) -> str:
    """The institution (given a public profile with a code of its own) offers these
    courses of the catalog, which conversion announced; its code."""
    for code in course_codes:
        await consume(client, course_changed(code))
    code = f"I-{new_id()[:8].upper()}"
    variables = {
        "id": institution.id,
        "code": code,
        "zh": "重庆开放大学",
        "en": "Chongqing Open University",
        "city": "Chongqing",
    }
    body = await gql(client, SET_PROFILE, variables, institution.token)
    assert "errors" not in body, body
    body = await gql(client, SET_COURSES, {"codes": list(course_codes)}, institution.token)
    assert "errors" not in body, body
    return code
