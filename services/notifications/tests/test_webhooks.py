"""Institutions' webhooks with real HTTP receivers that verify every delivery with
the `standardwebhooks` library (a third party's implementation of the signature):
retries with the same webhook-id until one succeeds, an endpoint disabled after a
whole day of failures with its log intact and its institution told, consent
revocations that stop deliveries, two replicas that deliver each event once, one
learner's events in order, and the URL policy of production."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cbkit import wire
from cbkit.auth import Role
from cbkit.clock import Clock
from cbkit.envelope import Event
from cbkit.testing import TestStack, error_code, eventually, gql, handled, new_id, serve_tcp
from cbkit.testing.services import RunService
from services.notifications.domain import webhooks as domain
from services.notifications.repository import webhooks as repository
from services.notifications.service import build
from services.notifications.tests.conftest import ACCOUNTS, Bus

pytestmark = pytest.mark.asyncio(loop_scope="session")

FAST = {"CB_WEBHOOK_POLL_SECONDS": "0.1"}
REGISTER = """mutation($url: String!, $types: [WebhookEventType!]!) {
  registerWebhookEndpoint(url: $url, eventTypes: $types) { secret endpoint { id url } } }"""
DELIVERY = """id eventId eventType webhookId state succeeded nextAttemptAt cancelledReason
  attempts { at status responseMs error }"""
ENDPOINTS = f"""query($id: ID!) {{
  _entities(representations: [{{__typename: "Account", id: $id}}]) {{ ... on Account {{
    webhookEndpoints {{ id url eventTypes enabled disabledReason disabledAt
      deliveries(first: 100) {{ totalCount nodes {{ {DELIVERY} }} }} }} }} }} }}"""
INBOX = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}])
  { ... on Account { notifications { nodes { kind title body about { type id } } } } } }"""


@dataclass
class Received:
    webhook_id: str
    body: dict[str, Any]
    verified: bool
    answered: int
    raw: tuple[bytes, dict[str, str]] = (b"", {})
    """The body and headers as they came."""


@dataclass
class Receiver:
    """A receiver of webhooks on a free port: verifies each with `standardwebhooks`
    and answers what `plan(webhook_id, nth time seen)` says (200 by default)."""

    url: str = ""
    secret: str | None = None
    plan: Callable[[str, int], int] = lambda _id, _n: 200
    received: list[Received] = field(default_factory=list)

    async def hook(self, request: Request) -> Response:
        body = await request.body()
        try:
            assert self.secret is not None
            parsed = Webhook(self.secret).verify(body, dict(request.headers))
            verified = True
        except WebhookVerificationError:
            parsed, verified = {}, False
        webhook_id = request.headers.get("webhook-id", "")
        seen = sum(1 for r in self.received if r.webhook_id == webhook_id)
        status = self.plan(webhook_id, seen + 1) if verified else 400
        raw = (body, dict(request.headers))
        self.received.append(Received(webhook_id, parsed, verified, status, raw))
        return Response(status_code=status)

    def succeeded(self) -> list[Received]:
        return [r for r in self.received if r.answered == 200]


@contextlib.asynccontextmanager
async def receiving(plan: Callable[[str, int], int] | None = None) -> AsyncIterator[Receiver]:
    receiver = Receiver() if plan is None else Receiver(plan=plan)
    app = Starlette(routes=[Route("/hook", receiver.hook, methods=["POST"])])
    async with serve_tcp(app) as url:
        receiver.url = f"{url}/hook"
        yield receiver


def closed_port_url() -> str:
    """A URL where nothing listens: a receiver that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def hooked(run_service: RunService) -> AsyncIterator[httpx.AsyncClient]:
    """The service with its own database and queue, polling fast for due deliveries."""
    async with run_service(build(), "wh", **FAST) as client:
        yield client


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def hbus(stack: TestStack, hooked: httpx.AsyncClient) -> AsyncIterator[Bus]:
    async with Bus.listening(
        stack.settings("notifications", "wh"), "notifications.#", ACCOUNTS
    ) as bus:
        yield bus


@pytest.fixture
def hclock(hooked: httpx.AsyncClient) -> Any:
    clock: Clock = hooked.runtime.deps.clock  # type: ignore[attr-defined]
    clock.frozen_at = datetime.now(UTC).replace(microsecond=0)
    yield clock
    clock.frozen_at = None


async def register(client: httpx.AsyncClient, token: str, url: str, *types: str) -> tuple[str, str]:
    answer = await gql(client, REGISTER, {"url": url, "types": list(types)}, token)
    assert "errors" not in answer, answer
    created = answer["data"]["registerWebhookEndpoint"]
    assert created["secret"].startswith("whsec_")
    return created["endpoint"]["id"], created["secret"]


async def endpoints(
    client: httpx.AsyncClient, institution: str, token: str
) -> list[dict[str, Any]]:
    answer = await gql(client, ENDPOINTS, {"id": institution}, token)
    assert "errors" not in answer, answer
    found: list[dict[str, Any]] = answer["data"]["_entities"][0]["webhookEndpoints"]
    return found


async def deliveries(
    client: httpx.AsyncClient, institution: str, token: str
) -> list[dict[str, Any]]:
    [endpoint] = await endpoints(client, institution, token)
    found: list[dict[str, Any]] = endpoint["deliveries"]["nodes"]
    return found


async def sent(client: httpx.AsyncClient, event: Event) -> Event:
    await handled(client, event)
    return event


GRANTS: dict[tuple[str, str], Event] = {}


async def consenting(bus: Bus, client: httpx.AsyncClient) -> tuple[str, str, str]:
    """A learner, an institution (its token) and a consent from one to the other."""
    learner, institution = new_id(), new_id()
    granted = await sent(client, await bus.consent("consent.granted", learner, institution))
    GRANTS[learner, institution] = granted
    return learner, institution, _token(institution)


async def revoke(bus: Bus, learner: str, institution: str) -> Event:
    """The learner revokes the consent `consenting` granted."""
    granted = GRANTS[learner, institution]
    data = {**granted.data, "revokedAt": wire.instant(datetime.now(UTC))}
    return await bus.publish(ACCOUNTS, "consent.revoked", learner, data)


_STACK: list[TestStack] = []


def _token(institution: str) -> str:
    return _STACK[0].token(institution, Role.INSTITUTION)


@pytest.fixture(autouse=True)
def _remember_stack(stack: TestStack) -> None:
    if not _STACK:
        _STACK.append(stack)


async def attempts_reach(
    client: httpx.AsyncClient, institution: str, token: str, count: int
) -> dict[str, Any]:
    """Wait until the (one) delivery was attempted `count` times and is not in flight."""
    found: dict[str, Any] = {}

    async def attempted() -> bool:
        [delivery] = await deliveries(client, institution, token)
        found.update(delivery)
        return len(delivery["attempts"]) == count

    await eventually(attempted)
    return found


async def test_a_receiver_that_fails_three_times_gets_the_event_once_with_one_webhook_id(
    hooked, hbus, hclock
):
    learner, institution, token = await consenting(hbus, hooked)
    async with receiving(lambda _id, n: 500 if n <= 3 else 200) as receiver:
        _, receiver.secret = await register(hooked, token, receiver.url, "CREDITS_CONVERTED")
        converted = await sent(hooked, await hbus.converted(learner, "2.5"))

        for attempt in range(1, 4):
            delivery = await attempts_reach(hooked, institution, token, attempt)
            assert delivery["state"] == "PENDING"
            assert delivery["attempts"][-1]["status"] == 500
            due = wire.parse_instant(delivery["nextAttemptAt"])
            assert due > hclock.frozen_at
            hclock.frozen_at = due
        delivery = await attempts_reach(hooked, institution, token, 4)

    assert delivery["state"] == "SUCCEEDED" and delivery["succeeded"] is True
    assert delivery["nextAttemptAt"] is None
    assert [a["status"] for a in delivery["attempts"]] == [500, 500, 500, 200]
    assert all(a["responseMs"] is not None for a in delivery["attempts"])
    assert delivery["attempts"][0]["error"].startswith("HTTP 500")
    assert delivery["eventId"] == str(converted.id)
    assert all(r.verified for r in receiver.received)
    assert {r.webhook_id for r in receiver.received} == {delivery["webhookId"]}
    [done] = receiver.succeeded()
    assert done.body["type"] == "credits.converted"
    assert done.body["data"]["conversionId"] == converted.data["conversionId"]
    assert done.body["data"]["credits"] == "2.5"
    # the back-offs grew: 5 s, then 5 min, then 30 min (each give or take a tenth)
    at = [wire.parse_instant(a["at"]) for a in delivery["attempts"]]
    waits = [b - a for a, b in itertools.pairwise(at)]
    assert timedelta(seconds=4) < waits[0] < timedelta(seconds=6)
    assert timedelta(minutes=4) < waits[1] < timedelta(minutes=6)
    assert timedelta(minutes=27) < waits[2] < timedelta(minutes=33)


async def failing_until_over(
    client: httpx.AsyncClient, clock: Clock, institution: str, token: str
) -> dict[str, Any]:
    """Move the clock to each next attempt of the institution's one delivery until it
    is over (at a receiver that is down: failed, the endpoint disabled); the delivery."""
    attempt = 0
    while True:
        attempt += 1
        delivery = await attempts_reach(client, institution, token, attempt)
        if delivery["state"] != "PENDING":
            return delivery
        clock.frozen_at = wire.parse_instant(delivery["nextAttemptAt"])


async def test_a_receiver_down_for_a_day_ends_disabled_with_its_log_and_the_institution_told(
    hooked, hbus, hclock
):
    learner, institution, token = await consenting(hbus, hooked)
    endpoint, secret = await register(hooked, token, closed_port_url(), "CREDITS_CONVERTED")
    converted = await sent(hooked, await hbus.converted(learner))
    started = hclock.frozen_at

    delivery = await failing_until_over(hooked, hclock, institution, token)

    assert len(delivery["attempts"]) == 8
    assert delivery["state"] == "FAILED" and delivery["nextAttemptAt"] is None
    assert all(a["status"] is None and a["error"] for a in delivery["attempts"])
    last = wire.parse_instant(delivery["attempts"][-1]["at"])
    assert last - started >= timedelta(hours=24)
    [shown] = await endpoints(hooked, institution, token)
    assert shown["enabled"] is False
    assert shown["disabledReason"] == "DELIVERIES_FAILED"
    assert shown["deliveries"]["totalCount"] == 1

    # the institution is told in its inbox, in its language
    inbox = await gql(hooked, INBOX, {"id": institution}, token)
    told = inbox["data"]["_entities"][0]["notifications"]["nodes"]
    [message] = [m for m in told if m["kind"] == "WEBHOOK_DISABLED"]
    assert message["about"] == {"type": "WEBHOOK_ENDPOINT", "id": endpoint}
    assert "failed too often and was disabled" in message["body"]

    # a later event waits for the endpoint; once enabled at a receiver that is up,
    # it is sent, and a replay sends the failed one again with the same webhook-id
    later = await sent(hooked, await hbus.converted(learner))
    async with receiving() as receiver:
        receiver.secret = secret
        change = """mutation($id: ID!, $url: String!) {
          updateWebhookEndpoint(id: $id, url: $url) { url enabled } }"""
        updated = await gql(hooked, change, {"id": endpoint, "url": receiver.url}, token)
        assert updated["data"]["updateWebhookEndpoint"] == {"url": receiver.url, "enabled": False}
        await asyncio.sleep(0.3)
        assert receiver.received == []
        enabled = await gql(
            hooked,
            "mutation($id: ID!) { enableWebhookEndpoint(id: $id) { enabled disabledReason } }",
            {"id": endpoint},
            token,
        )
        assert enabled["data"]["enableWebhookEndpoint"] == {"enabled": True, "disabledReason": None}
        await eventually(lambda: _count(receiver, 1))
        await eventually(lambda: _settled(hooked, institution, token))
        replay = """mutation($id: ID!, $since: DateTime!) {
          replayWebhookDeliveries(endpointId: $id, since: $since) }"""
        since = wire.instant(started - timedelta(minutes=1))
        replayed = await gql(hooked, replay, {"id": endpoint, "since": since}, token)
        assert replayed["data"]["replayWebhookDeliveries"] == 2
        await eventually(lambda: _count(receiver, 3))
    assert all(r.verified for r in receiver.received)
    ids = [r.body["data"]["conversionId"] for r in receiver.received]
    assert ids == [
        later.data["conversionId"],
        converted.data["conversionId"],
        later.data["conversionId"],
    ]


async def _settled(client: httpx.AsyncClient, institution: str, token: str) -> bool:
    """Whether no delivery to the institution's endpoint is pending."""
    return all(d["state"] != "PENDING" for d in await deliveries(client, institution, token))


async def _count(receiver: Receiver, count: int) -> bool:
    return len(receiver.succeeded()) >= count


async def test_a_revoked_consent_cancels_what_was_queued_and_queues_nothing_more(
    hooked, hbus, hclock
):
    learner, institution, token = await consenting(hbus, hooked)
    await register(hooked, token, closed_port_url(), "CREDITS_CONVERTED", "CONSENT_REVOKED")
    for _ in range(2):
        await sent(hooked, await hbus.converted(learner))
    await eventually(lambda: _attempted(hooked, institution, token))

    revoked = await sent(hooked, await revoke(hbus, learner, institution))
    found = await deliveries(hooked, institution, token)
    by_type = {d["eventType"]: d for d in found if d["eventType"] == "CONSENT_REVOKED"}
    credits = [d for d in found if d["eventType"] == "CREDITS_CONVERTED"]
    assert [d["state"] for d in credits] == ["CANCELLED", "CANCELLED"]
    assert [d["cancelledReason"] for d in credits] == ["CONSENT_REVOKED"] * 2
    assert [d["nextAttemptAt"] for d in credits] == [None, None]
    # the revocation itself goes to the institution (its own consent's event)
    assert by_type["CONSENT_REVOKED"]["eventId"] == str(revoked.id)

    await sent(hooked, await hbus.converted(learner))
    assert len(await deliveries(hooked, institution, token)) == 3

    # a learner who never consented: nothing queued to the institution
    stranger = new_id()
    await sent(hooked, await hbus.converted(stranger))
    assert len(await deliveries(hooked, institution, token)) == 3


async def test_a_consent_that_expires_while_a_delivery_waits_cancels_it(hooked, hbus, hclock):
    learner, institution, token = await consenting(hbus, hooked)
    await register(hooked, token, closed_port_url(), "CREDITS_CONVERTED")
    await sent(hooked, await hbus.converted(learner))
    first = await attempts_reach(hooked, institution, token, 1)
    assert first["state"] == "PENDING"

    expires = wire.parse_instant(GRANTS[learner, institution].data["expiresAt"])
    hclock.frozen_at = expires + timedelta(minutes=1)

    async def cancelled() -> bool:
        [delivery] = await deliveries(hooked, institution, token)
        return bool(delivery["state"] == "CANCELLED")

    await eventually(cancelled)
    [delivery] = await deliveries(hooked, institution, token)
    assert delivery["cancelledReason"] == "CONSENT_EXPIRED"
    assert len(delivery["attempts"]) == 1 and delivery["nextAttemptAt"] is None


async def _attempted(client: httpx.AsyncClient, institution: str, token: str) -> bool:
    found = await deliveries(client, institution, token)
    return len(found) == 2 and all(d["attempts"] for d in found[-1:])


async def test_one_learners_events_arrive_in_order_while_an_earlier_one_is_retried(
    hooked, hbus, hclock
):
    learner, _institution, token = await consenting(hbus, hooked)
    published: list[Event] = []
    endpoint = ""

    def plan(webhook_id: str, n: int) -> int:
        # the third event's first attempt fails: the rest wait behind it
        third = len(published) >= 3 and webhook_id == domain.webhook_id(
            domain.delivery_id(endpoint, str(published[2].id))
        )
        return 503 if third and n == 1 else 200

    async with receiving(plan) as receiver:
        endpoint, receiver.secret = await register(hooked, token, receiver.url, "CREDITS_CONVERTED")
        for n in range(1, 9):
            published.append(await hbus.converted(learner, f"{n}.0"))
        for event in published:
            await handled(hooked, event)
        await eventually(lambda: _count(receiver, 2))
        await asyncio.sleep(0.5)
        assert len(receiver.succeeded()) == 2
        hclock.frozen_at = hclock.frozen_at + timedelta(seconds=6)
        await eventually(lambda: _count(receiver, 8))

    credits = [r.body["data"]["credits"] for r in receiver.succeeded()]
    assert credits == [f"{n}.0" for n in range(1, 9)]
    assert all(r.verified for r in receiver.received)


async def test_two_replicas_deliver_each_event_once(run_service, stack, hbus):
    async with (
        run_service(build(), "wh2", **FAST) as one,
        run_service(build(), "wh2", **FAST) as two,
        Bus.listening(stack.settings("notifications", "wh2"), "notifications.#", ACCOUNTS) as bus,
        receiving() as receiver,
    ):
        institution = new_id()
        token = stack.token(institution, Role.INSTITUTION)
        learners = [new_id() for _ in range(10)]
        grants = [await bus.consent("consent.granted", lr, institution) for lr in learners]
        for grant in grants:
            await handled(one, grant)
        _, receiver.secret = await register(one, token, receiver.url, "CREDITS_CONVERTED")
        events = [await bus.converted(lr, f"{n}.0") for n in range(1, 7) for lr in learners]
        await eventually(lambda: _count(receiver, len(events)), within=30)
        await asyncio.sleep(1.0)

        assert all(r.verified for r in receiver.received)
        ids = [r.webhook_id for r in receiver.received]
        assert len(ids) == len(set(ids)) == len(events)
        heard = {r.body["data"]["conversionId"] for r in receiver.received}
        assert heard == {e.data["conversionId"] for e in events}
        for learner in learners:
            mine = [
                r.body["data"]["credits"]
                for r in receiver.received
                if r.body["data"]["learnerId"] == learner
            ]
            assert mine == [f"{n}.0" for n in range(1, 7)]
        for client in (one, two):
            assert client.runtime.deps.webhooks.allow_private is True


async def test_private_urls_and_plain_http_are_refused_in_production_mode(run_service, stack):
    token = stack.token(new_id(), Role.INSTITUTION)
    async with run_service(build(), "wh3", CB_WEBHOOK_ALLOW_PRIVATE="false") as strict:
        for url in (
            "https://127.0.0.1/hook",
            "https://localhost:8443/hook",
            "https://10.1.2.3/hook",
            "https://192.168.0.10/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/hook",
            "https://[::ffff:127.0.0.1]/hook",
            "https://224.0.0.1/hook",
            "https://0.0.0.0/hook",
            "http://93.184.215.14/hook",
            "ftp://example.org/hook",
            "https://user:pw@93.184.215.14/hook",
            "https://nothing.invalid/hook",
        ):
            answer = await gql(
                strict, REGISTER, {"url": url, "types": ["CREDITS_CONVERTED"]}, token
            )
            assert error_code(answer) == ("BAD_USER_INPUT", "url"), (url, answer)
        zh = await gql(
            strict,
            REGISTER,
            {"url": "https://127.0.0.1/hook", "types": ["CREDITS_CONVERTED"]},
            token,
            headers={"Accept-Language": "zh-CN"},
        )
        assert "解析到 127.0.0.1" in zh["errors"][0]["message"]
        # a public address is accepted (nothing is sent until an event comes)
        ok = await gql(
            strict,
            REGISTER,
            {"url": "https://93.184.215.14/hook", "types": ["CREDITS_CONVERTED"]},
            token,
        )
        assert "errors" not in ok, ok


async def test_only_an_institution_manages_its_own_endpoints(hooked, hbus, stack):
    institution, other = new_id(), new_id()
    await sent(hooked, await hbus.opened(institution, Role.INSTITUTION, "Open University"))
    token = stack.token(institution, Role.INSTITUTION)
    endpoint, _ = await register(hooked, token, "https://93.184.215.14/hook", "CREDITS_CONVERTED")

    learner = stack.token(new_id(), Role.LEARNER)
    answer = await gql(
        hooked, REGISTER, {"url": "https://93.184.215.14/", "types": ["CREDITS_CONVERTED"]}, learner
    )
    assert error_code(answer) == ("FORBIDDEN", "webhookEndpoints")
    stranger = stack.token(other, Role.INSTITUTION)
    assert error_code(await gql(hooked, ENDPOINTS, {"id": institution}, stranger)) == (
        "FORBIDDEN",
        "webhookEndpoints",
    )
    rotate = "mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }"
    assert error_code(await gql(hooked, rotate, {"id": endpoint}, stranger)) == ("NOT_FOUND", "id")
    empty = await gql(hooked, REGISTER, {"url": "https://93.184.215.14/", "types": []}, token)
    assert error_code(empty) == ("BAD_USER_INPUT", "eventTypes")

    admin = stack.token(new_id(), Role.ADMIN)
    [seen] = await endpoints(hooked, institution, admin)
    assert seen["id"] == endpoint
    # a learner has no endpoints: asking for hers is refused, to admins too
    learner_id = new_id()
    await sent(hooked, await hbus.opened(learner_id, Role.LEARNER, "Li Na"))
    asked = await gql(hooked, ENDPOINTS, {"id": learner_id}, admin)
    assert error_code(asked) == ("NOT_FOUND", "webhookEndpoints")
    rotated = await gql(hooked, rotate, {"id": endpoint}, token)
    assert rotated["data"]["rotateWebhookSecret"]["secret"].startswith("whsec_")
    delete = "mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }"
    assert (await gql(hooked, delete, {"id": endpoint}, token))["data"] == {
        "deleteWebhookEndpoint": endpoint
    }
    assert await endpoints(hooked, institution, token) == []


ROTATE = """mutation($id: ID!, $hours: Int) { rotateWebhookSecret(id: $id, overlapHours: $hours)
  { secret endpoint { id previousSecretExpiresAt } } }"""
EXPIRES = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}])
  { ... on Account { webhookEndpoints { previousSecretExpiresAt } } } }"""


def accepts(secret: str, received: Received) -> bool:
    """Whether a receiver verifying with `secret` accepts what came."""
    body, headers = received.raw
    try:
        Webhook(secret).verify(body, headers)
    except WebhookVerificationError:
        return False
    return True


async def test_a_rotated_secret_still_signs_beside_the_new_one_until_its_overlap_ends(
    hooked, hbus, hclock
):
    learner, institution, token = await consenting(hbus, hooked)
    async with receiving() as receiver:
        endpoint, old = await register(hooked, token, receiver.url, "CREDITS_CONVERTED")
        rotated = await gql(hooked, ROTATE, {"id": endpoint, "hours": 2}, token)
        assert "errors" not in rotated, rotated
        new = rotated["data"]["rotateWebhookSecret"]["secret"]
        shown = rotated["data"]["rotateWebhookSecret"]["endpoint"]["previousSecretExpiresAt"]
        until = wire.parse_instant(shown)
        assert until == hclock.frozen_at + timedelta(hours=2)
        assert new != old

        # within the overlap: a receiver still on the old secret and one on the new
        # both accept the same delivery (two signatures in webhook-signature)
        receiver.secret = old
        await sent(hooked, await hbus.converted(learner))
        await eventually(lambda: _count(receiver, 1))
        [within] = receiver.succeeded()
        assert len(within.raw[1]["webhook-signature"].split(" ")) == 2
        assert accepts(old, within) and accepts(new, within)

        # after it: only the new secret signs, and the endpoint says so
        hclock.frozen_at = until + timedelta(seconds=1)
        after = await gql(hooked, EXPIRES, {"id": institution}, token)
        assert after["data"]["_entities"][0]["webhookEndpoints"] == [
            {"previousSecretExpiresAt": None}
        ]
        receiver.secret = new
        await sent(hooked, await hbus.converted(learner))
        await eventually(lambda: _count(receiver, 2))
        later = receiver.succeeded()[1]
        assert accepts(new, later) and not accepts(old, later)
        assert len(later.raw[1]["webhook-signature"].split(" ")) == 1


async def test_a_rotation_without_overlap_or_with_too_long_a_one(hooked, hbus, hclock):
    _, _, token = await consenting(hbus, hooked)
    endpoint, _ = await register(hooked, token, "https://93.184.215.14/hook", "CREDITS_CONVERTED")
    default = await gql(hooked, ROTATE, {"id": endpoint}, token)
    shown = default["data"]["rotateWebhookSecret"]["endpoint"]["previousSecretExpiresAt"]
    assert wire.parse_instant(shown) == hclock.frozen_at + timedelta(hours=24)
    at_once = await gql(hooked, ROTATE, {"id": endpoint, "hours": 0}, token)
    assert at_once["data"]["rotateWebhookSecret"]["endpoint"]["previousSecretExpiresAt"] is None
    for hours in (-1, 169):
        refused = await gql(hooked, ROTATE, {"id": endpoint, "hours": hours}, token)
        assert error_code(refused) == ("BAD_USER_INPUT", "overlapHours")
        assert "overlapHours must be 0 to 168" in refused["errors"][0]["message"]
    zh = await gql(
        hooked,
        ROTATE,
        {"id": endpoint, "hours": 200},
        token,
        headers={"Accept-Language": "zh-CN"},
    )
    assert "overlapHours 必须在 0 到 168 之间" in zh["errors"][0]["message"]


ONE = """query($id: ID!) { webhookEndpoint(id: $id) { id url eventTypes enabled
  deliveries(first: 5) { totalCount } } }"""


async def test_an_institution_reads_its_own_endpoint_by_id_and_is_told_why_not_anothers(
    hooked, stack
):
    institution = new_id()
    token = stack.token(institution, Role.INSTITUTION)
    endpoint, _ = await register(hooked, token, "https://93.184.215.14/hook", "CREDITS_CONVERTED")
    own = await gql(hooked, ONE, {"id": endpoint}, token)
    assert own["data"]["webhookEndpoint"] == {
        "id": endpoint,
        "url": "https://93.184.215.14/hook",
        "eventTypes": ["CREDITS_CONVERTED"],
        "enabled": True,
        "deliveries": {"totalCount": 0},
    }
    admin = stack.token(new_id(), Role.ADMIN)
    assert (await gql(hooked, ONE, {"id": endpoint}, admin))["data"]["webhookEndpoint"]["id"]

    other = stack.token(new_id(), Role.INSTITUTION)
    theirs = await gql(hooked, ONE, {"id": endpoint}, other)
    assert error_code(theirs) == ("FORBIDDEN", "webhookEndpoint")
    assert "is another institution's, not yours" in theirs["errors"][0]["message"]
    theirs_zh = await gql(
        hooked, ONE, {"id": endpoint}, other, headers={"Accept-Language": "zh-CN"}
    )
    assert "属于其他机构，不是你的" in theirs_zh["errors"][0]["message"]

    for missing in (new_id(), "not-an-id"):
        none = await gql(hooked, ONE, {"id": missing}, token)
        assert error_code(none) == ("NOT_FOUND", "webhookEndpoint")
        assert f"there is no webhook endpoint {missing}" in none["errors"][0]["message"]
    none_zh = await gql(hooked, ONE, {"id": new_id()}, token, headers={"Accept-Language": "zh-CN"})
    assert "不存在 Webhook 端点" in none_zh["errors"][0]["message"]

    learner = stack.token(new_id(), Role.LEARNER)
    refused = await gql(hooked, ONE, {"id": endpoint}, learner)
    assert error_code(refused) == ("FORBIDDEN", "webhookEndpoint")
    assert "only an institution reads its webhook endpoints" in refused["errors"][0]["message"]
    anonymous = await gql(hooked, ONE, {"id": endpoint}, None)
    assert error_code(anonymous)[0] == "UNAUTHENTICATED"


MOVE = "mutation($id: ID!, $url: String!) { updateWebhookEndpoint(id: $id, url: $url) { id } }"
ENABLE = "mutation($id: ID!) { enableWebhookEndpoint(id: $id) { enabled } }"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def capped(run_service: RunService, stack: TestStack) -> AsyncIterator[tuple[Any, Bus]]:
    """A service whose disabled endpoints keep at most 3 deliveries waiting, its bus."""
    async with (
        run_service(build(), "wh4", **FAST, CB_WEBHOOK_DISABLED_BACKLOG="3") as client,
        Bus.listening(stack.settings("notifications", "wh4"), "notifications.#", ACCOUNTS) as bus,
    ):
        yield client, bus


async def test_a_disabled_endpoint_keeps_the_newest_deliveries_and_drops_the_oldest(capped):
    client, bus = capped
    clock: Clock = client.runtime.deps.clock
    clock.frozen_at = datetime.now(UTC).replace(microsecond=0)
    try:
        learner, institution, token = await consenting(bus, client)
        endpoint, secret = await register(client, token, closed_port_url(), "CREDITS_CONVERTED")
        first = await sent(client, await bus.converted(learner, "1.0"))
        started = clock.frozen_at
        failed = await failing_until_over(client, clock, institution, token)
        assert failed["state"] == "FAILED"

        # five more while it is disabled: the two oldest dropped, the newest three kept
        waiting = [await sent(client, await bus.converted(learner, f"{n}.0")) for n in range(2, 7)]
        log = await deliveries(client, institution, token)  # newest first
        assert [(d["eventId"], d["state"]) for d in log] == [
            *((str(e.id), "PENDING") for e in reversed(waiting[2:])),
            *((str(e.id), "DROPPED") for e in reversed(waiting[:2])),
            (str(first.id), "FAILED"),
        ]
        assert all(d["nextAttemptAt"] is None and d["attempts"] == [] for d in log[3:5])
        # an attempt under way when its delivery was dropped that the receiver answered
        # 2xx: the delivery is delivered, not dropped
        async with client.runtime.pool.acquire() as conn:
            await repository.succeeded(conn, [log[4]["id"]], clock.now())
        [*_, dropped, delivered] = (await deliveries(client, institution, token))[:5]
        assert (dropped["state"], delivered["state"]) == ("DROPPED", "SUCCEEDED")
        assert delivered["eventId"] == str(waiting[0].id)

        async with receiving() as receiver:
            receiver.secret = secret
            await gql(client, MOVE, {"id": endpoint, "url": receiver.url}, token)
            await gql(client, ENABLE, {"id": endpoint}, token)
            # enabled again: what was kept arrives, in order
            await eventually(lambda: _count(receiver, 3))
            await eventually(lambda: _settled(client, institution, token))
            kept = [r.body["data"]["credits"] for r in receiver.succeeded()]
            assert kept == ["4.0", "5.0", "6.0"]

            # a replay sends the dropped ones (and the failed and delivered ones) again
            replay = """mutation($id: ID!, $since: DateTime!) {
              replayWebhookDeliveries(endpointId: $id, since: $since) }"""
            since = wire.instant(started - timedelta(minutes=1))
            replayed = await gql(client, replay, {"id": endpoint, "since": since}, token)
            assert replayed["data"]["replayWebhookDeliveries"] == 6
            await eventually(lambda: _count(receiver, 9))
        again = [r.body["data"]["credits"] for r in receiver.succeeded()[3:]]
        assert again == ["1.0", "2.0", "3.0", "4.0", "5.0", "6.0"]
        assert all(r.verified for r in receiver.received)
    finally:
        clock.frozen_at = None
