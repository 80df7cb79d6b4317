"""Bearer tokens checked at the edge with cbkit.auth (accounts' keys), remembering the
tokens already verified until they expire: the same signed text verifies the same way,
so a client's next request with it costs a dictionary look-up, not a signature check."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

import jwt

from cbkit.auth import AuthError, KeySet, bearer, verify_token


class TokenCheck:
    """`keys=None` lets every token through unverified (toy subgraphs only)."""

    def __init__(
        self,
        keys: KeySet | None,
        on_refused: Callable[[], None] = lambda: None,
        remembered: int = 10_000,
    ) -> None:
        self._keys = keys
        self._on_refused = on_refused
        self._size = remembered
        self._expiry: OrderedDict[str, float] = OrderedDict()

    async def check(self, authorization: str | None) -> None:
        """Raises cbkit.auth.AuthError for a token that is malformed, tampered or expired."""
        if self._keys is None:
            return
        try:
            await self._verify(authorization, self._keys)
        except AuthError:
            self._on_refused()
            raise

    async def _verify(self, authorization: str | None, keys: KeySet) -> None:
        token = bearer(authorization)
        if token is None:
            return
        expires = self._expiry.get(token)
        if expires is not None and time.time() < expires:
            return
        await verify_token(token, keys)
        claims = jwt.decode(token, options={"verify_signature": False})
        self._expiry[token] = float(claims["exp"])
        if len(self._expiry) > self._size:
            self._expiry.popitem(last=False)
