"""Whose a WebSocket connection is and until when: the token of its `connection_init`,
checked as the HTTP edge checks tokens, and the tokens that refresh it.

A connection lives no longer than its token: when the token expires the connection is
closed (4403, "token expired"), unless the client sent a fresh token for the same
account first, as a `ping` whose payload is `{"authorization": "Bearer <token>"}`. Nor
does it outlive the key that signed the token: the token is checked again now and then,
and refused once its key left accounts' JWKS."""

from __future__ import annotations

import time
from dataclasses import dataclass

from cbkit.auth import AuthError
from gateway.edge.tokens import TokenCheck, Verified, reason_of
from gateway.executor import Forwarded
from gateway.subscriptions.protocol import ProtocolViolation

FORBIDDEN = 4403
EXPIRED = "token expired"


@dataclass(frozen=True)
class Credentials:
    forwarded: Forwarded
    """What the subgraphs are given: the client's `Authorization`, the request id and the
    client's language."""
    account_id: str | None
    """Whose the connection is (None: anonymous, or tokens are not verified)."""
    expires_at: float | None
    """When the token expires (POSIX seconds); None: never (no token, or not verified)."""

    @classmethod
    async def checked(
        cls,
        tokens: TokenCheck,
        authorization: str | None,
        request_id: str | None,
        accept_language: str | None = None,
    ) -> Credentials:
        """The credentials of a token; ProtocolViolation (4403, why) when it is refused.
        `accept_language` (the client's language) goes on to the subgraphs with it."""
        verified = await _verified(tokens, authorization)
        return cls(
            Forwarded(authorization, request_id, accept_language=accept_language),
            verified.principal.account_id if verified else None,
            verified.expires_at if verified else None,
        )

    async def refreshed(self, tokens: TokenCheck, authorization: str) -> Credentials:
        """The same account's credentials with a fresh token; ProtocolViolation (4403)
        when the token is refused or is another account's."""
        fresh = await Credentials.checked(
            tokens, authorization, self.forwarded.request_id, self.forwarded.accept_language
        )
        if fresh.account_id != self.account_id:
            raise ProtocolViolation(FORBIDDEN, "token for another account")
        return fresh

    async def rechecked(self, tokens: TokenCheck) -> Credentials:
        """The same token checked again (its key may have left the key set meanwhile)."""
        return await Credentials.checked(
            tokens,
            self.forwarded.authorization,
            self.forwarded.request_id,
            self.forwarded.accept_language,
        )

    def seconds_left(self) -> float | None:
        return None if self.expires_at is None else self.expires_at - time.time()

    def check_unexpired(self) -> None:
        left = self.seconds_left()
        if left is not None and left <= 0:
            raise ProtocolViolation(FORBIDDEN, EXPIRED)


async def _verified(tokens: TokenCheck, authorization: str | None) -> Verified | None:
    try:
        return await tokens.check(authorization)
    except AuthError as error:
        raise ProtocolViolation(FORBIDDEN, reason_of(error)) from None
