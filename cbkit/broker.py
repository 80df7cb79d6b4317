"""RabbitMQ connection and the one durable topic exchange every service publishes to."""

from __future__ import annotations

import aio_pika
from aio_pika.abc import AbstractExchange, AbstractRobustChannel, AbstractRobustConnection


async def connect(amqp_url: str) -> AbstractRobustConnection:
    """A robust connection: it reconnects by itself and restores channels and consumers."""
    return await aio_pika.connect_robust(amqp_url, reconnect_interval=1.0)


async def declare_exchange(channel: AbstractRobustChannel, name: str) -> AbstractExchange:
    return await channel.declare_exchange(name, aio_pika.ExchangeType.TOPIC, durable=True)
