"""A burst of events to institutions' webhook endpoints through the notifications
service as its own process: shared by the kill test (test_kill.py) and the
benchmark (bench/webhooks.py).

The service runs as `python -m services.notifications` under a namespace of the
run's stack (its own database and queue); a receiver serves one path per endpoint
and verifies every delivery with the `standardwebhooks` library; endpoints are
registered through GraphQL, one institution each; every learner consents to every
institution (rows bulk-loaded into the service's copy of the consents); the events
are credits.converted, published to the exchange as conversion would."""

from __future__ import annotations

import asyncio
import functools
import os
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aio_pika
import asyncpg
import httpx
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from cbkit import broker, wire
from cbkit.auth import Role
from cbkit.envelope import Event
from cbkit.settings import Settings
from cbkit.testing import TestStack, eventually

REGISTER = """mutation($url: String!) {
  registerWebhookEndpoint(url: $url, eventTypes: [CREDITS_CONVERTED]) {
    secret endpoint { id } } }"""
PUBLISH_BATCH = 200


@dataclass
class Receiver:
    """What arrived, per endpoint (the path's name): each webhook-id's first arrival,
    the webhook-ids each event came with, the order of first arrivals per learner,
    and how many were doubled or badly signed. Waits `delay` seconds before each
    answer (a receiver that takes its time)."""

    delay: float = 0.0
    hooks: dict[str, Webhook] = field(default_factory=dict)
    arrived: dict[str, float] = field(default_factory=dict)
    """webhook-id -> when it first arrived (time.time())"""
    events: dict[str, str] = field(default_factory=dict)
    """webhook-id -> conversion id"""
    ids: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    """(endpoint, conversion id) -> every webhook-id it arrived with"""
    orders: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    """(endpoint, learner) -> the events' numbers in the order they first arrived"""
    doubled: int = 0
    bad: int = 0

    async def hook(self, request: Request) -> Response:
        try:
            body = await request.body()
        except ClientDisconnect:  # the service was killed mid-request
            return Response(status_code=400)
        now = time.time()
        name = request.path_params["name"]
        try:
            payload = self.hooks[name].verify(body, dict(request.headers))
        except (WebhookVerificationError, KeyError):
            self.bad += 1
            return Response(status_code=400)
        if self.delay:
            await asyncio.sleep(self.delay)
        webhook_id = request.headers["webhook-id"]
        data = payload["data"]
        self.ids[name, data["conversionId"]].add(webhook_id)
        if webhook_id in self.arrived:
            self.doubled += 1
        else:
            self.arrived[webhook_id] = now
            self.events[webhook_id] = data["conversionId"]
            self.orders[name, data["learnerId"]].append(number(data))
        return Response(status_code=204)

    def out_of_order(self) -> int:
        """How many (endpoint, learner) pairs got their events out of order."""
        return sum(1 for order in self.orders.values() if order != sorted(order))


def receiving_app(receiver: Receiver) -> Starlette:
    return Starlette(routes=[Route("/hook/{name}", receiver.hook, methods=["POST"])])


def service_env(stack: TestStack, namespace: str, port: int, **more: str) -> dict[str, str]:
    """The environment of the service's process under the stack's `namespace`."""
    return {
        **os.environ,
        **stack.env(namespace),
        "CB_NOTIFICATIONS_PORT": str(port),
        "CB_LOG_LEVEL": "WARNING",
        **more,
    }


async def start_service(
    env: Mapping[str, str], port: int, log: Path, within: float = 60
) -> asyncio.subprocess.Process:
    """`python -m services.notifications` with `env`, its output to `log`; returns
    once it answers /readyz."""
    with log.open("ab") as out:
        server = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "services.notifications",
            env=dict(env),
            stdout=out,
            stderr=asyncio.subprocess.STDOUT,
        )
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        await eventually(functools.partial(_ready, client, server, log), within=within)
    return server


async def _ready(client: httpx.AsyncClient, server: asyncio.subprocess.Process, log: Path) -> bool:
    if server.returncode is not None:
        raise RuntimeError(f"notifications exited with {server.returncode}: see {log}")
    try:
        return (await client.get("/readyz")).status_code == 200
    except httpx.TransportError:
        return False


async def register(
    url: str, stack: TestStack, receiver: Receiver, receiver_url: str, count: int
) -> list[str]:
    """Register `count` endpoints (one institution each, named 0, 1, ... at the
    receiver) through the service's GraphQL at `url`; the institutions."""
    institutions = []
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for n in range(count):
            institution = str(uuid.uuid4())
            token = stack.token(institution, Role.INSTITUTION)
            response = await client.post(
                "/graphql",
                json={"query": REGISTER, "variables": {"url": f"{receiver_url}/hook/{n}"}},
                headers={"Authorization": f"Bearer {token}"},
            )
            created = response.json()["data"]["registerWebhookEndpoint"]
            receiver.hooks[str(n)] = Webhook(created["secret"])
            institutions.append(institution)
    return institutions


async def consent(database_url: str, learners: list[str], institutions: list[str]) -> None:
    """Every learner consents to every institution (rows of the consent copy)."""
    now = datetime.now(UTC)
    rows = [
        (uuid.uuid4(), uuid.UUID(lr), uuid.UUID(i), now, now + timedelta(days=365), None)
        for lr in learners
        for i in institutions
    ]
    conn = await asyncpg.connect(database_url)
    try:
        await conn.copy_records_to_table(
            "webhook_consents",
            records=rows,
            columns=[
                "consent_id", "learner_id", "institution_id", "granted_at", "expires_at",
                "revoked_at",
            ],
        )  # fmt: skip
    finally:
        await conn.close()


def converted(learner: str, n: int) -> Event:
    """The `n`th event of the burst (its number in the course code: C-n)."""
    data = {
        "conversionId": str(uuid.uuid4()),
        "learnerId": learner,
        "outcomeId": str(uuid.uuid4()),
        "courseCode": f"C-{n}",
        "majorCode": "ED",
        "credits": "2.0",
        "ruleId": str(uuid.uuid4()),
        "expiresOn": None,
        "convertedAt": wire.instant(datetime.now(UTC)),
    }
    return Event("credits.converted", "/services/conversion", learner, data)


def number(data: Mapping[str, Any]) -> int:
    """The event's number in the burst, from its payload's data."""
    return int(str(data["courseCode"]).split("-")[1])


async def publish(settings: Settings, events: list[Event]) -> dict[str, float]:
    """Publish the events in order as a burst; when each was published (time.time())."""
    connection = await broker.connect(settings.amqp_url)
    published: dict[str, float] = {}
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await broker.declare_exchange(channel, settings.exchange)
        for first in range(0, len(events), PUBLISH_BATCH):
            batch = events[first : first + PUBLISH_BATCH]
            for event in batch:
                published[event.data["conversionId"]] = time.time()
            await asyncio.gather(
                *(
                    exchange.publish(
                        aio_pika.Message(
                            e.to_json(),
                            message_id=str(e.id),
                            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                        ),
                        routing_key=e.routing_key,
                    )
                    for e in batch
                )
            )
    finally:
        await broker.close(connection)
    return published
