"""The Starlette WebSocket endpoint of /graphql: one Connection per client."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.websockets import WebSocket

from gateway.edge.tokens import TokenCheck
from gateway.service import Gateway
from gateway.subscriptions.connection import Connection


@dataclass
class SubscriptionEndpoint:
    """The Starlette WebSocket endpoint of /graphql."""

    gateway: Gateway
    tokens: TokenCheck
    init_timeout: float = 3.0
    """Seconds a client has to send `connection_init` (closed with 4408 after)."""

    async def endpoint(self, websocket: WebSocket) -> None:
        await Connection(websocket, self.gateway, self.tokens, self.init_timeout).serve()
