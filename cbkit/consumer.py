"""Idempotent event consumer: one durable quorum queue per consuming service.

Each handler runs in a transaction that also records the event id, so a
redelivered event changes nothing; the message is acked after commit. A
handler that keeps failing is retried up to the delivery limit, then the
queue dead-letters the message to `<queue>.dlq`; a message that is no event
(not JSON, a field missing or of the wrong type) or that no handler takes goes
there at once, with the reason. Events about one learner are handled in the
order they arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import KW_ONLY, dataclass, field
from datetime import UTC, datetime

import aio_pika
import asyncpg
from aio_pika.abc import (
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustConnection,
)
from prometheus_client import Histogram

from cbkit.broker import declare_exchange
from cbkit.db import Connection
from cbkit.envelope import EnvelopeError, Event
from cbkit.settings import Settings

log = logging.getLogger(__name__)

Handler = Callable[[Connection, Event], Awaitable[None]]
REFUSED_BECAUSE = "x-refused-because"
"""The header a message sent to the dead letters unread carries: why it was refused."""
EVENT_LAG = Histogram(
    "cb_consumer_event_lag_seconds",
    "From an event's time to its handling here: how far behind the consumer is",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 900, 3600),
)
"""Observed once per event handled (not for a duplicate); deploy/prometheus alerts on it."""


async def handle_once(pool: asyncpg.Pool, handler: Handler, event: Event) -> bool:
    """Run `handler` for `event` unless it was already processed; True if it ran."""
    async with pool.acquire() as conn, conn.transaction():
        first_time = await conn.fetchval(
            "INSERT INTO processed_events (event_id, event_type) VALUES ($1, $2)"
            " ON CONFLICT DO NOTHING RETURNING true",
            event.id,
            event.routing_key,
        )
        if not first_time:
            return False
        await handler(conn, event)
        return True


@dataclass
class Consumer:
    """The service's consumer: one durable quorum queue bound to the routing keys it
    has handlers for, with a bounded number of deliveries and its dead letters."""

    pool: asyncpg.Pool
    connection: AbstractRobustConnection
    _: KW_ONLY
    exchange: str
    queue: str
    dead_letter_exchange: str
    dead_letter_queue: str
    handlers: Mapping[str, Handler]
    prefetch: int = 32
    delivery_limit: int = 5
    _last_of: dict[str, asyncio.Future[None]] = field(default_factory=dict, init=False)
    _dead_letters: AbstractExchange | None = field(default=None, init=False)
    _queue: AbstractQueue | None = field(default=None, init=False)
    _tag: str | None = field(default=None, init=False)
    _stopping: bool = field(default=False, init=False)
    _holding: int = field(default=0, init=False)
    _idle: asyncio.Event = field(default_factory=asyncio.Event, init=False)

    @classmethod
    def of_service(
        cls,
        pool: asyncpg.Pool,
        connection: AbstractRobustConnection,
        settings: Settings,
        handlers: Mapping[str, Handler],
        **options: int,
    ) -> Consumer:
        """The consumer of the service `settings` are for: its queue and dead letters."""
        return cls(
            pool,
            connection,
            exchange=settings.exchange,
            queue=settings.queue,
            dead_letter_exchange=settings.dead_letter_exchange,
            dead_letter_queue=settings.dead_letter_queue,
            handlers=handlers,
            **options,
        )

    async def start(self) -> None:
        channel = await self.connection.channel()
        await channel.set_qos(prefetch_count=self.prefetch)
        exchange = await declare_exchange(channel, self.exchange)
        dlx = await channel.declare_exchange(
            self.dead_letter_exchange, aio_pika.ExchangeType.DIRECT, durable=True
        )
        self._dead_letters = dlx
        dlq = await channel.declare_queue(
            self.dead_letter_queue, durable=True, arguments={"x-queue-type": "quorum"}
        )
        await dlq.bind(dlx, routing_key=self.queue)
        queue = await channel.declare_queue(
            self.queue,
            durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-delivery-limit": self.delivery_limit,
                "x-dead-letter-exchange": self.dead_letter_exchange,
                "x-dead-letter-routing-key": self.queue,
            },
        )
        for routing_key in self.handlers:
            await queue.bind(exchange, routing_key=routing_key)
        self._idle.set()
        self._queue = queue
        self._tag = await queue.consume(self._on_message)

    async def stop(self, within: float) -> None:
        """Take no more deliveries, and wait (at most `within` seconds) for the messages
        being handled to be handled and acked; what the broker delivered but was not
        begun goes back to the queue when the channel closes, for another replica."""
        self._stopping = True
        queue, tag, self._tag = self._queue, self._tag, None
        if queue is not None and tag is not None:
            try:
                await asyncio.wait_for(queue.cancel(tag), within)
            except Exception:  # a broker away: its deliveries come back to the queue anyway
                log.warning("could not cancel the consumer of %s", self.queue, exc_info=True)
        try:
            async with asyncio.timeout(within):
                await self._idle.wait()
        except TimeoutError:
            log.warning("%d messages still being handled after %.0f s", self._holding, within)

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        if self._stopping:
            # delivered just before the consumer was cancelled: back to the queue unhandled
            await message.nack(requeue=True)
            return
        self._holding += 1
        self._idle.clear()
        try:
            await self._handle(message)
        finally:
            self._holding -= 1
            if not self._holding:
                self._idle.set()

    async def _handle(self, message: AbstractIncomingMessage) -> None:
        try:
            event = Event.from_json(message.body)
        except EnvelopeError as exc:
            await self._refuse(message, str(exc))
            return
        if message.routing_key != event.routing_key:
            # a publisher may only publish its own types (the broker's topic permissions
            # check the routing key), so a body claiming another type is a forgery
            sent_as = message.routing_key
            await self._refuse(message, f"sent as {sent_as!r} but says it is {event.type!r}")
            return
        handler = self.handlers.get(event.routing_key)
        if handler is None:
            await self._refuse(message, f"no handler for {event.routing_key!r} here")
            return
        async with self._in_order(event.subject):
            try:
                if await handle_once(self.pool, handler, event):
                    EVENT_LAG.observe(max(0.0, (datetime.now(UTC) - event.time).total_seconds()))
            except Exception:
                log.exception("handler for %s failed on event %s", event.routing_key, event.id)
                await message.nack(requeue=True)
                return
            await message.ack()

    async def _refuse(self, message: AbstractIncomingMessage, reason: str) -> None:
        """A message no retry can make readable goes to the dead letters at once, the
        reason in its `x-refused-because` header. Should that publish fail, the queue
        dead-letters it without the reason: it never stays to block the consumer."""
        log.error("dead-lettering unreadable message %s: %s", message.message_id, reason)
        refused = aio_pika.Message(
            message.body,
            headers={**(message.headers or {}), REFUSED_BECAUSE: reason[:500]},
            content_type=message.content_type,
            message_id=message.message_id,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        )
        try:
            assert self._dead_letters is not None, "Consumer.start() was not awaited"
            await self._dead_letters.publish(refused, routing_key=self.queue)
        except Exception:
            log.exception("could not publish message %s to the dead letters", message.message_id)
            await message.reject(requeue=False)
            return
        await message.ack()

    @contextlib.asynccontextmanager
    async def _in_order(self, subject: str) -> AsyncIterator[None]:
        """Events about one subject (a learner) are handled one after another, in the
        order they were delivered; events about different subjects run concurrently.
        Deliveries start in order, and this runs before their first await."""
        previous = self._last_of.get(subject)
        done = asyncio.get_running_loop().create_future()
        self._last_of[subject] = done
        try:
            if previous is not None:
                await asyncio.shield(previous)
            yield
        finally:
            done.set_result(None)
            if self._last_of.get(subject) is done:
                del self._last_of[subject]
