"""The Starlette WebSocket endpoint of /graphql: one Connection per client."""

from __future__ import annotations

from collections.abc import Callable

from starlette.websockets import WebSocket

from gateway.edge.limits import QueryLimits
from gateway.edge.tokens import TokenCheck
from gateway.service import Gateway
from gateway.subscriptions.connection import Connection


class SubscriptionEndpoint:
    """The Starlette WebSocket endpoint of /graphql."""

    def __init__(
        self,
        gateway: Gateway,
        tokens: TokenCheck | None,
        limits: QueryLimits,
        init_timeout: float = 3.0,
        on_refused_token: Callable[[], None] = lambda: None,
    ) -> None:
        self._gateway = gateway
        self._tokens = tokens
        self._limits = limits
        self.init_timeout = init_timeout
        self._on_refused_token = on_refused_token

    async def endpoint(self, websocket: WebSocket) -> None:
        connection = Connection(
            websocket,
            self._gateway,
            self._tokens,
            self._limits,
            self.init_timeout,
            self._on_refused_token,
        )
        await connection.serve()
