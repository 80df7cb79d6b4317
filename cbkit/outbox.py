"""Transactional outbox and its relay.

`publish` writes the event in the caller's transaction; the relay sends unsent
rows in order with publisher confirms, then marks them sent. A crash between
the two sends a row again: consumers are idempotent on the event id.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

import aio_pika
import asyncpg
from aio_pika.abc import AbstractRobustConnection
from prometheus_client import Gauge

from cbkit.broker import declare_exchange
from cbkit.db import Connection
from cbkit.envelope import CONTENT_TYPE, Event
from cbkit.listen import Listener

log = logging.getLogger(__name__)

CHANNEL = "outbox"
RELAY_LOCK = 0x43420002
OLDEST_UNSENT = Gauge(
    "cb_outbox_oldest_unsent_seconds",
    "How long the oldest event the relay is sending has waited in the outbox (0: none waits)",
)
"""The relay's lag, set at each batch (deploy/prometheus alerts on it)."""


async def publish(conn: Connection, event: Event) -> None:
    """Record `event` for publication; it leaves only if the caller's transaction commits."""
    await conn.execute(
        "INSERT INTO outbox (event_id, routing_key, body) VALUES ($1, $2, $3)",
        event.id,
        event.routing_key,
        event.to_json(),
    )
    await conn.execute(f"NOTIFY {CHANNEL}")


@dataclass
class OutboxRelay:
    """Sends the database's unsent events in order, woken by NOTIFY (or every
    `poll_seconds` while LISTEN is down)."""

    pool: asyncpg.Pool
    connection: AbstractRobustConnection
    exchange: str
    database_url: str
    batch_size: int = 500
    poll_seconds: float = 5.0
    _listener: Listener = field(init=False)
    _stopping: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self._listener = Listener(self.database_url, CHANNEL)

    def stop(self) -> None:
        """Send what is unsent now, finishing the batch under way, then end `run`; the
        caller bounds the wait (and cancels a relay the broker keeps from finishing)."""
        self._stopping = True
        self._listener.wake()

    async def run(self) -> None:
        try:
            channel = await self.connection.channel(publisher_confirms=True)
            exchange = await declare_exchange(channel, self.exchange)
            while True:
                stopping = self._stopping  # a batch after the stop sends what came before it
                try:
                    while await self._relay_batch(exchange) == self.batch_size:
                        pass
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("outbox relay failed; retrying")
                    await asyncio.sleep(1.0)
                    continue
                if stopping:
                    return
                await self._listener.wait(self.poll_seconds)
        finally:
            await self._listener.close()

    async def _relay_batch(self, exchange: aio_pika.abc.AbstractExchange) -> int:
        """Publish one batch; one relay per database at a time keeps the order."""
        async with self.pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", RELAY_LOCK):
                OLDEST_UNSENT.set(0)  # another replica's relay sends them
                return 0
            rows = await conn.fetch(
                "SELECT id, event_id, routing_key, body,"
                " extract(epoch FROM clock_timestamp() - created_at)::float8 AS waited"
                " FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1",
                self.batch_size,
            )
            OLDEST_UNSENT.set(rows[0]["waited"] if rows else 0)
            if not rows:
                return 0
            await asyncio.gather(
                *(
                    exchange.publish(
                        aio_pika.Message(
                            body=row["body"],
                            message_id=str(row["event_id"]),
                            content_type=CONTENT_TYPE,
                            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                            timestamp=datetime.now(UTC),
                        ),
                        routing_key=row["routing_key"],
                        mandatory=False,
                    )
                    for row in rows
                )
            )
            await conn.execute(
                "UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])",
                [row["id"] for row in rows],
            )
            if len(rows) < self.batch_size:
                OLDEST_UNSENT.set(0)
            return len(rows)
