"""Accounts alone signs tokens. The signing key comes from CB_JWT_PRIVATE_KEY (PEM)
or the file CB_JWT_PRIVATE_KEY_FILE; in development a key is generated on first
run into `.dev-keys/` (git-ignored)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from cbkit.auth import ALGORITHM, AUDIENCE, ISSUER, KeySet, Role, jwks, key_id
from cbkit.settings import Settings, SettingsError

DEV_KEY_FILE = Path(".dev-keys/jwt_ed25519.pem")
TOKEN_LIFETIME = timedelta(hours=1)


class TokenIssuer:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self._kid = key_id(private_key.public_key())

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenIssuer:
        pem = settings.extra.get("CB_JWT_PRIVATE_KEY")
        path = settings.extra.get("CB_JWT_PRIVATE_KEY_FILE")
        if pem:
            return cls(_load(pem.encode()))
        if path:
            return cls(_load(Path(path).read_bytes()))
        if not settings.is_development:
            raise SettingsError("CB_JWT_PRIVATE_KEY or CB_JWT_PRIVATE_KEY_FILE is required")
        if not DEV_KEY_FILE.exists():
            DEV_KEY_FILE.parent.mkdir(mode=0o700, exist_ok=True)
            key = Ed25519PrivateKey.generate()
            DEV_KEY_FILE.write_bytes(
                key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
            )
            DEV_KEY_FILE.chmod(0o600)
        return cls(_load(DEV_KEY_FILE.read_bytes()))

    def issue(self, account_id: str, role: Role, lifetime: timedelta = TOKEN_LIFETIME) -> str:
        now = datetime.now(UTC)
        claims = {
            "sub": account_id,
            "role": role.value,
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + lifetime,
        }
        return jwt.encode(claims, self._key, ALGORITHM, headers={"kid": self._kid})

    def jwks(self) -> dict[str, Any]:
        return jwks(self._key.public_key())

    def key_set(self) -> KeySet:
        return KeySet.from_jwks(self.jwks())


def _load(pem: bytes) -> Ed25519PrivateKey:
    key = load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SettingsError("the JWT signing key must be an Ed25519 private key")
    return key
