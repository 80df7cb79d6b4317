"""What the broker itself lets each service's user do: an attacker holding one
service's credentials publishes only that service's event types, reads only its
queues and changes nothing of anyone else's."""

from collections.abc import Awaitable, Callable
from typing import Any

import aio_pika
import aiormq
import pytest
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage

from cbkit.broker import PUBLISHERS
from cbkit.envelope import Event
from cbkit.testing import Bus, eventually, gql, handled, new_id
from tests.broker.conftest import BrokerUsers

EVENT_TYPES = [key for keys in PUBLISHERS.values() for key in keys]
Act = Callable[[AbstractChannel], Awaitable[Any]]


async def allowed(url: str, act: Act) -> bool:
    """Whether the broker lets the user of `url` do `act` (on a channel of its own)."""
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        try:
            await act(channel)
        except aiormq.exceptions.ChannelAccessRefused:
            return False
        return True


def publish(exchange: str, routing_key: str, body: bytes = b"{}") -> Act:
    async def act(channel: AbstractChannel) -> None:
        target = await channel.get_exchange(exchange) if exchange else channel.default_exchange
        await target.publish(aio_pika.Message(body), routing_key=routing_key, mandatory=False)

    return act


def consume(queue: str) -> Act:
    """Subscribe to `queue` and leave at once, handing back anything delivered meanwhile."""

    async def hand_back(message: AbstractIncomingMessage) -> None:
        await message.nack(requeue=True)

    async def act(channel: AbstractChannel) -> None:
        found = await channel.get_queue(queue, ensure=False)
        await found.cancel(await found.consume(hand_back))

    return act


@pytest.mark.parametrize("service", PUBLISHERS)
async def test_a_service_publishes_its_own_event_types_and_no_other(users, service):
    exchange = users.services[service].exchange
    published = [
        key for key in EVENT_TYPES if await allowed(users.url(service), publish(exchange, key))
    ]
    assert published == list(PUBLISHERS[service])


async def test_no_service_publishes_around_the_events_exchange(users, running):
    accounts, outcomes = users.url("accounts"), users.services["outcomes"]
    straight_into_its_queue = publish("", outcomes.queue)
    into_its_dead_letters = publish(outcomes.dead_letter_exchange, outcomes.queue)
    assert not await allowed(accounts, straight_into_its_queue)
    assert not await allowed(accounts, into_its_dead_letters)


@pytest.mark.parametrize("service", PUBLISHERS)
async def test_a_service_consumes_its_own_queues_and_no_other(users, running, service):
    for other, settings in users.services.items():
        for queue in (settings.queue, settings.dead_letter_queue):
            assert await allowed(users.url(service), consume(queue)) == (other == service), queue


@pytest.mark.parametrize("service", PUBLISHERS)
async def test_a_service_changes_nothing_that_is_not_its_own(users, running, service):
    names = list(PUBLISHERS)
    neighbour = names[(names.index(service) + 1) % len(names)]
    own, other = users.services[service], users.services[neighbour]

    async def bind(channel: AbstractChannel, queue: str, exchange: str) -> None:
        found = await channel.get_queue(queue, ensure=False)
        await found.bind(exchange, routing_key="#")

    async def purge(channel: AbstractChannel, queue: str) -> None:
        await (await channel.get_queue(queue, ensure=False)).purge()

    trespasses: dict[str, Act] = {
        "delete the events exchange": lambda ch: ch.exchange_delete(own.exchange),
        "delete another's queue": lambda ch: ch.queue_delete(other.queue),
        "purge another's dead letters": lambda ch: purge(ch, other.dead_letter_queue),
        "bind another's queue": lambda ch: bind(ch, other.queue, own.exchange),
        "read another's dead letters": lambda ch: bind(ch, own.queue, other.dead_letter_exchange),
        "declare a queue to listen in": lambda ch: ch.declare_queue(exclusive=True),
        "declare an exchange": lambda ch: ch.declare_exchange(f"{own.queue}.mine"),
    }
    for what, act in trespasses.items():
        assert not await allowed(own.amqp_url, act), what


AT = "2026-01-05T08:00:00Z"
OPEN = """mutation($email: String!, $password: String!, $name: String!) {
  openAccount(email: $email, password: $password, displayName: $name) { account { id } } }"""


async def test_each_service_does_its_own_work_as_its_own_user(users: BrokerUsers, running):
    async with Bus.listening(users.observer, "#", "/tests") as watcher:
        email = f"own.user.{new_id()[:8]}@example.org"
        variables = {"email": email, "password": "a long enough password", "name": "Li Na"}
        opened = await gql(running["accounts"], OPEN, variables)
        account = opened["data"]["openAccount"]["account"]["id"]

        async def announced() -> bool:
            return len(watcher.heard_about("accountId", account, "account.opened")) == 1

        await eventually(announced)

    # a consent event from accounts' user reaches every reader of consents, each reading
    # as its own user; a credits event from conversion's user reaches accounts
    consent = {"consentId": new_id(), "learnerId": account, "institutionId": new_id()}
    revoked = Event("consent.revoked", "/accounts", account, consent | {"revokedAt": AT})
    lot = {"conversionId": new_id(), "learnerId": account, "courseCode": "CS101"}
    taken_back = Event(
        "credits.revoked", "/conversion", account, lot | {"credits": "2.0", "revokedAt": AT}
    )
    for publisher, event in (("accounts", revoked), ("conversion", taken_back)):
        sent = publish(users.services[publisher].exchange, event.routing_key, event.to_json())
        assert await allowed(users.url(publisher), sent)
    for reader in ("outcomes", "certification", "conversion"):
        await handled(running[reader], revoked)
    await handled(running["accounts"], taken_back)
