"""RabbitMQ: the connection, the one durable topic exchange every service publishes to,
and what each service's own broker user may do there.

A service's user may publish to the events exchange only the event types it owns
(topic permissions, by routing key), and configure, bind and read only its own queue,
dead-letter queue and dead-letter exchange. It may not configure the events exchange:
whoever provisions the users creates it (`make run`, compose's `broker-users` job), and
a service finds it in place.

`python -m cbkit.broker definitions <file>` writes those users, their permissions and
the exchange as a RabbitMQ definitions file, from each service's CB_AMQP_URL_<SERVICE>.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import aio_pika
import aiormq
from aio_pika.abc import AbstractExchange, AbstractRobustChannel, AbstractRobustConnection

from cbkit.settings import Settings, SettingsError, amqp_url_variable, load_settings

log = logging.getLogger(__name__)

PUBLISHERS: Mapping[str, tuple[str, ...]] = {
    "accounts": (
        "account.opened",
        "consent.granted",
        "consent.revoked",
        "account.closed",
        "credits.redeemed",
        "credits.redemption_reversed",
        "credits.expired",
    ),
    "outcomes": ("outcome.submitted", "outcome.resubmitted", "outcome.withdrawn"),
    "certification": (
        "certification.claimed",
        "certification.approved",
        "certification.rejected",
        "certification.info_requested",
        "certification.overdue",
    ),
    "conversion": (
        "credits.converted",
        "credits.revoked",
        "certificate.awarded",
        "catalog.course_changed",
    ),
    "notifications": (),  # it only consumes
}
"""Who publishes what (docs/events.md's publisher column; tests/broker checks they agree):
each service's broker user may publish these routing keys and no other."""


async def connect(amqp_url: str) -> AbstractRobustConnection:
    """A robust connection: it reconnects by itself and restores channels and consumers."""
    return await aio_pika.connect_robust(amqp_url, reconnect_interval=1.0)


async def declare_exchange(channel: AbstractRobustChannel, name: str) -> AbstractExchange:
    """The events exchange. Found in place when it exists, which needs no right to
    configure it (a service's own user has none); declared otherwise (tests, as guest)."""
    if await _exchange_exists(channel, name):
        return await channel.declare_exchange(name, passive=True)
    return await channel.declare_exchange(name, aio_pika.ExchangeType.TOPIC, durable=True)


async def _exchange_exists(channel: AbstractRobustChannel, name: str) -> bool:
    """Asked on a channel of its own: the broker closes the channel that asks about a
    missing exchange."""
    underlay = await channel.get_underlay_channel()
    probe = await underlay.connection.channel()
    try:
        await probe.exchange_declare(name, passive=True)
    except aiormq.exceptions.ChannelNotFoundEntity:
        return False
    await probe.close()
    return True


CLOSE_SECONDS = 10.0


async def close(connection: AbstractRobustConnection) -> None:
    """Close, but never hang a shutdown on a broker that does not answer (a robust
    connection caught reconnecting can wait for it forever)."""
    try:
        await asyncio.wait_for(connection.close(), CLOSE_SECONDS)
    except TimeoutError:
        log.warning("the broker connection did not close within %.0f s", CLOSE_SECONDS)


@dataclass(frozen=True)
class Grant:
    """What one service's broker user may do: RabbitMQ's permission regular expressions
    on resources of its virtual host, and the routing keys it may publish."""

    user: str
    password: str = field(repr=False)
    vhost: str
    configure: str
    write: str
    read: str
    exchange: str
    publish: str

    @classmethod
    def of(cls, settings: Settings) -> Grant:
        """The grant of the user `settings.amqp_url` names, for the service `settings` are for."""
        url = urlsplit(settings.amqp_url)
        own = (settings.queue, settings.dead_letter_queue, settings.dead_letter_exchange)
        return cls(
            user=unquote(url.username or ""),
            password=unquote(url.password or ""),
            vhost=unquote(url.path.removeprefix("/")) or "/",
            configure=_exactly(own),
            # writing to its queues binds them; to its dead-letter exchange, routes
            # refused messages there (and declaring a queue that dead-letters to it)
            write=_exactly((settings.exchange, *own)),
            read=_exactly((settings.exchange, *own)),
            exchange=settings.exchange,
            publish=_exactly(PUBLISHERS[settings.service]),
        )


def with_user(url: str, user: str, password: str) -> str:
    """`url` with its user and password replaced."""
    parts = urlsplit(url)
    login = f"{quote(user, safe='')}:{quote(password, safe='')}"
    return urlunsplit(parts._replace(netloc=f"{login}@{parts.netloc.rpartition('@')[2]}"))


def _exactly(names: Iterable[str]) -> str:
    return "^(" + "|".join(re.escape(name) for name in names) + ")$"


def password_hash(password: str) -> str:
    """RabbitMQ's `rabbit_password_hashing_sha256`: base64(salt + SHA-256(salt + password))."""
    salt = os.urandom(4)
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def definitions(grants: Iterable[Grant], *, vhosts: bool) -> dict[str, list[dict[str, Any]]]:
    """A RabbitMQ definitions document with the users, their permissions and the events
    exchange; with `vhosts`, the virtual hosts too (a fresh broker has none; importing
    one that exists resets its description)."""
    grants = list(grants)
    places = sorted({(g.vhost, g.exchange) for g in grants})
    return {
        "users": [_user(g) for g in grants],
        "vhosts": [{"name": v} for v in sorted({v for v, _ in places})] if vhosts else [],
        "permissions": [_permissions(g) for g in grants],
        "topic_permissions": [_topic_permissions(g) for g in grants],
        "exchanges": [_events_exchange(vhost, name) for vhost, name in places],
    }


def _user(grant: Grant) -> dict[str, Any]:
    algorithm = "rabbit_password_hashing_sha256"
    hashed = password_hash(grant.password)
    return {"name": grant.user, "password_hash": hashed, "hashing_algorithm": algorithm, "tags": []}


def _permissions(grant: Grant) -> dict[str, str]:
    rights = {"configure": grant.configure, "write": grant.write, "read": grant.read}
    return {"user": grant.user, "vhost": grant.vhost, **rights}


def _topic_permissions(grant: Grant) -> dict[str, str]:
    on = {"user": grant.user, "vhost": grant.vhost, "exchange": grant.exchange}
    return {**on, "write": grant.publish, "read": ".*"}


def _events_exchange(vhost: str, name: str) -> dict[str, Any]:
    shape = {"type": "topic", "durable": True, "auto_delete": False, "internal": False}
    return {"name": name, "vhost": vhost, **shape, "arguments": {}}


def service_grants(env: Mapping[str, str]) -> list[Grant]:
    """Every publishing service's grant, from its own CB_AMQP_URL_<SERVICE> in `env`."""
    grants = []
    for service in PUBLISHERS:
        variable = amqp_url_variable(service)
        if not env.get(variable):
            raise SettingsError(f"{variable} is required: {service}'s own user and password")
        grant = Grant.of(load_settings(service, env))
        if not grant.user or not grant.password or grant.user == "guest":
            raise SettingsError(f"{variable} must name the service's own user and password")
        grants.append(grant)
    return grants


def main(argv: list[str]) -> None:
    if len(argv) != 2 or argv[0] != "definitions":
        raise SystemExit("usage: python -m cbkit.broker definitions <file>")
    try:
        document = definitions(service_grants(os.environ), vhosts=True)
    except SettingsError as refused:
        raise SystemExit(f"cbkit.broker: {refused}") from None
    Path(argv[1]).write_text(json.dumps(document, indent=2))
    print(f"{argv[1]}: users {', '.join(u['name'] for u in document['users'])}")


if __name__ == "__main__":
    main(sys.argv[1:])
