"""A test's seat on the event exchange: publish as another service would, and keep
what the service under test publishes."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Self

import aio_pika
import aiormq
from aio_pika.abc import AbstractExchange, AbstractIncomingMessage

from cbkit import broker
from cbkit.envelope import Event
from cbkit.settings import Settings


@dataclass
class Bus:
    exchange: AbstractExchange
    source: str = "/tests"
    heard: list[Event] = field(default_factory=list)

    async def send(
        self, routing_key: str, data: dict[str, Any], source: str | None = None
    ) -> Event:
        """Publish `data` as an event about the learner it names."""
        learner = str(data.get("learnerId", ""))
        event = Event(routing_key, source or self.source, learner, data)
        await self.resend(event)
        return event

    async def resend(self, event: Event) -> None:
        message = aio_pika.Message(event.to_json(), message_id=str(event.id))
        await self.exchange.publish(message, routing_key=event.routing_key)

    @classmethod
    @contextlib.asynccontextmanager
    async def listening(cls, settings: Settings, binding: str, source: str) -> AsyncIterator[Self]:
        """A bus of this kind on `settings`' exchange that hears the events matching
        `binding` and sends as `source`."""
        connection = await broker.connect(settings.amqp_url)
        try:
            channel = await connection.channel()
            exchange = await broker.declare_exchange(channel, settings.exchange)
            bus = cls(exchange, source)
            queue = await channel.declare_queue(exclusive=True, auto_delete=True)
            await queue.bind(exchange, routing_key=binding)

            async def hear(message: AbstractIncomingMessage) -> None:
                async with message.process():
                    bus.heard.append(Event.from_json(message.body))

            await queue.consume(hear)
            yield bus
        finally:
            # other tests restart the broker; a channel closed under us is no failure here
            with contextlib.suppress(
                aiormq.exceptions.AMQPError, aiormq.exceptions.ChannelInvalidStateError
            ):
                await broker.close(connection)

    def heard_about(self, key: str, value: str, routing_key: str | None = None) -> list[Event]:
        """What was heard whose data has `key` = `value` (and of `routing_key`, if given)."""
        return [
            e
            for e in self.heard
            if e.data.get(key) == value and routing_key in (None, e.routing_key)
        ]
