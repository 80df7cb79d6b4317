"""The Starlette WebSocket endpoint of /graphql: one Connection per client."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.websockets import WebSocket

from gateway.edge.tokens import TokenCheck
from gateway.edge.trusted import TrustedDocuments
from gateway.service import Gateway
from gateway.subscriptions.connection import Connection


@dataclass
class SubscriptionEndpoint:
    """The Starlette WebSocket endpoint of /graphql."""

    gateway: Gateway
    tokens: TokenCheck
    init_timeout: float = 3.0
    """Seconds a client has to send `connection_init` (closed with 4408 after)."""
    max_operations: int = 20
    """Operations one socket may run at once; one more gets an `error` for its id."""
    recheck_seconds: float = 60.0
    """How often a socket's token is verified again, so a socket whose token's key left
    accounts' JWKS is closed (4403) within this and one refresh of the key set."""
    trusted_documents: TrustedDocuments | None = None
    """CB_TRUSTED_DOCUMENTS: the only documents a portal's socket runs (None: any)."""

    async def endpoint(self, websocket: WebSocket) -> None:
        connection = Connection(
            websocket,
            self.gateway,
            self.tokens,
            self.init_timeout,
            self.max_operations,
            self.recheck_seconds,
            self.trusted_documents,
        )
        await connection.serve()
