"""A subscription does not outlive its token. The token a WebSocket connection was
opened with expires; the client renews it on the connection with a graphql-transport-ws
`ping` whose payload is `{"authorization": "Bearer <new access token>"}` for the same
account. Once the token expires unrenewed, or a renewal names no one or someone else,
the WebSocket closes with 4403 and the reason ("token expired", ...). Renewals count
from the connection's first subscription on; cbkit's subgraph app hands each to
`Context.token_renewals`. Every subgraph with a subscription ends it this way."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import jwt
from starlette.websockets import WebSocket

from cbkit.auth import AuthError, KeySet, Principal, bearer, verify_token
from cbkit.clock import Clock
from cbkit.errors import Refusal, Unauthenticated
from cbkit.graphql import Context

CLOSE_CODE = 4403
EXPIRED = "token expired"
MAX_REASON_BYTES = 123  # what a WebSocket close frame carries

T = TypeVar("T")

Verify = Callable[[str], Awaitable[tuple[Principal, datetime]]]
"""Who an `Authorization: Bearer` value names and until when; AuthError when it names
no one (a bad, expired or foreign token)."""


async def verified(authorization: str, keys: KeySet) -> tuple[Principal, datetime]:
    """`Verify` against accounts' published keys."""
    token = bearer(authorization)
    if token is None:
        raise AuthError("no token")
    principal = await verify_token(token, keys)
    claims = jwt.decode(token, options={"verify_signature": False})
    return principal, datetime.fromtimestamp(claims["exp"], UTC)


class ConnectionToken:
    """The token of one WebSocket connection, shared by its subscriptions."""

    def __init__(
        self,
        websocket: WebSocket,
        verify: Verify,
        clock: Clock,
        account_id: str,
        expires_at: datetime,
    ) -> None:
        self._websocket = websocket
        self._verify = verify
        self._clock = clock
        self._account_id = account_id
        self._expires_at = expires_at
        self._waits: set[asyncio.Timeout] = set()
        self._closed = False

    @classmethod
    async def of(cls, context: Context[Any], verify: Verify, clock: Clock) -> ConnectionToken:
        """The token of the caller's connection, watched from its first subscription on."""
        websocket = context.request
        if not isinstance(websocket, WebSocket):
            raise Refusal(
                "subscriptions are served over WebSocket (graphql-transport-ws)",
                zh="订阅须通过 WebSocket（graphql-transport-ws）进行",
            )
        if (watched := _watched(websocket)) is not None:
            return watched
        try:
            principal, expires_at = await verify(
                _authorization(context.connection_params, websocket)
            )
        except AuthError as exc:
            raise Unauthenticated(str(exc), zh=f"登录凭证无效：{exc}") from None
        if (watched := _watched(websocket)) is not None:  # another subscription came first
            return watched
        token = cls(websocket, verify, clock, principal.account_id, expires_at)
        context.token_renewals.append(token._renew)
        websocket.state.connection_token = token
        return token

    async def until_expired(self, items: AsyncIterator[T]) -> AsyncIterator[T]:
        """`items` while the token holds; when it expires, the connection closes."""
        while True:
            try:
                async with asyncio.timeout_at(self._deadline()) as wait:
                    self._waits.add(wait)
                    try:
                        item = await anext(items)
                    finally:
                        self._waits.discard(wait)
            except StopAsyncIteration:
                return
            except TimeoutError:
                if not wait.expired():
                    raise
                await self._close(EXPIRED)
                await asyncio.Event().wait()  # the connection's end cancels the operation
            yield item

    def _deadline(self) -> float:
        left = (self._expires_at - self._clock.now()).total_seconds()
        return asyncio.get_running_loop().time() + left

    async def _renew(self, authorization: str) -> None:
        """Renew the token, or close the connection when the new one names no one or
        someone else; the ping is answered first."""
        try:
            principal, expires_at = await self._verify(authorization)
        except AuthError as exc:
            await self._close(str(exc))
            return
        if principal.account_id != self._account_id:
            await self._close("the new token is for another account")
            return
        self._expires_at = expires_at
        for wait in self._waits:
            wait.reschedule(self._deadline())

    async def _close(self, reason: str) -> None:
        if self._closed:
            return
        self._closed = True
        reason = reason.encode()[:MAX_REASON_BYTES].decode(errors="ignore")
        with contextlib.suppress(RuntimeError):  # the client left first
            await self._websocket.close(CLOSE_CODE, reason)


def _watched(websocket: WebSocket) -> ConnectionToken | None:
    found: ConnectionToken | None = getattr(websocket.state, "connection_token", None)
    return found


def _authorization(params: dict[str, Any] | None, websocket: WebSocket) -> str:
    """The bearer token the connection was opened with, wherever the client put it
    (as cbkit.asgi.SubgraphApp reads it)."""
    params = params or {}
    header = params.get("Authorization") or params.get("authorization")
    if not header and params.get("token"):
        header = f"Bearer {params['token']}"
    return str(header or websocket.headers.get("authorization") or "")
