"""RabbitMQ connection and the one durable topic exchange every service publishes to."""

from __future__ import annotations

import asyncio
import logging

import aio_pika
from aio_pika.abc import AbstractExchange, AbstractRobustChannel, AbstractRobustConnection

log = logging.getLogger(__name__)


async def connect(amqp_url: str) -> AbstractRobustConnection:
    """A robust connection: it reconnects by itself and restores channels and consumers."""
    return await aio_pika.connect_robust(amqp_url, reconnect_interval=1.0)


async def declare_exchange(channel: AbstractRobustChannel, name: str) -> AbstractExchange:
    return await channel.declare_exchange(name, aio_pika.ExchangeType.TOPIC, durable=True)


CLOSE_SECONDS = 10.0


async def close(connection: AbstractRobustConnection) -> None:
    """Close, but never hang a shutdown on a broker that does not answer (a robust
    connection caught reconnecting can wait for it forever)."""
    try:
        await asyncio.wait_for(connection.close(), CLOSE_SECONDS)
    except TimeoutError:
        log.warning("the broker connection did not close within %.0f s", CLOSE_SECONDS)
