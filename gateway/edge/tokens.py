"""Bearer tokens checked at the edge with cbkit.auth (accounts' keys), remembering the
tokens already verified until they expire: the same signed text verifies the same way,
so a client's next request with it costs a dictionary look-up, not a signature check.

A remembered token is trusted only while the key that signed it is still in the key
set: when accounts takes a key out of its JWKS, the key set drops it on its next
refresh, and every token that key signed is refused from then on."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import jwt

from cbkit.auth import AuthError, KeySet, Principal, bearer, verify_token

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verified:
    """A verified token: whose it is, until when (POSIX seconds), signed by which key."""

    principal: Principal
    expires_at: float
    key_id: str


def reason_of(error: AuthError) -> str:
    """What a client is told about a refused token: the kind of fault ("token expired",
    "invalid token"), never the detail after it (library text, the JWKS URL)."""
    return str(error).split(":", 1)[0]


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
        self._verified: OrderedDict[str, Verified] = OrderedDict()

    async def check(self, authorization: str | None) -> Verified | None:
        """The verified token, or None when there is none (or keys=None). Raises
        cbkit.auth.AuthError for a token that is malformed, tampered, expired or signed
        by a key no longer trusted."""
        if self._keys is None:
            return None
        try:
            return await self._verify(authorization, self._keys)
        except AuthError as error:
            logger.info("refused a bearer token: %s", error)
            self._on_refused()
            raise

    async def _verify(self, authorization: str | None, keys: KeySet) -> Verified | None:
        token = bearer(authorization)
        if token is None:
            return None
        found = self._verified.get(token)
        if found is not None and time.time() < found.expires_at:
            await self._still_trusted(token, found, keys)
            return found
        principal = await verify_token(token, keys)
        claims = jwt.decode(token, options={"verify_signature": False})
        key_id = jwt.get_unverified_header(token)["kid"]
        verified = self._verified[token] = Verified(principal, float(claims["exp"]), key_id)
        if len(self._verified) > self._size:
            self._verified.popitem(last=False)
        return verified

    async def _still_trusted(self, token: str, verified: Verified, keys: KeySet) -> None:
        """Raises AuthError (and forgets the token) when its key left the key set."""
        try:
            await keys.key(verified.key_id)
        except AuthError:
            self._verified.pop(token, None)
            raise
