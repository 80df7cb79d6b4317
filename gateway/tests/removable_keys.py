"""A key set tests take keys out of, as cbkit's KeySet does on its next refresh once
accounts' JWKS no longer holds a key."""

from __future__ import annotations

from typing import Any

import jwt
import orjson

from cbkit.auth import AuthError, KeySet
from cbkit.testing import TestStack


class RemovableKeys(KeySet):
    removed: frozenset[str] = frozenset()

    @classmethod
    def of(cls, stack: TestStack) -> RemovableKeys:
        """The test stack's keys."""
        keys = cls.from_jwks(orjson.loads(stack.jwks_file.read_bytes()))
        assert isinstance(keys, RemovableKeys)
        return keys

    def remove(self, token: str) -> None:
        """Take out the key that signed `token`."""
        self.removed = self.removed | {jwt.get_unverified_header(token)["kid"]}

    async def key(self, kid: str) -> Any:
        if kid in self.removed:
            raise AuthError("token signed by an unknown key")
        return await super().key(kid)
