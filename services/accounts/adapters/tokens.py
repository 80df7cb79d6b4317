"""Accounts alone signs tokens. The signing key comes from CB_JWT_PRIVATE_KEY (PEM)
or the file CB_JWT_PRIVATE_KEY_FILE; in development a key is generated on first
run into `.dev-keys/` (git-ignored)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from cbkit.auth import KeySet, Role, jwks, load_private_key, sign_token
from cbkit.settings import Settings, SettingsError

DEV_KEY_FILE = Path(".dev-keys/jwt_ed25519.pem")
TOKEN_LIFETIME = timedelta(hours=1)


class TokenIssuer:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self._jwks = jwks(private_key.public_key())
        self._key_set = KeySet.from_jwks(self._jwks)

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenIssuer:
        pem = settings.text("CB_JWT_PRIVATE_KEY")
        path = settings.text("CB_JWT_PRIVATE_KEY_FILE")
        if pem:
            return cls(_load(pem.encode()))
        if path:
            return cls(_load(Path(path).read_bytes()))
        if not settings.is_development:
            raise SettingsError("CB_JWT_PRIVATE_KEY or CB_JWT_PRIVATE_KEY_FILE is required")
        return cls(_load(_development_key()))

    def issue(self, account_id: str, role: Role, lifetime: timedelta = TOKEN_LIFETIME) -> str:
        return sign_token(self._key, account_id, role, lifetime)

    def jwks(self) -> dict[str, Any]:
        return self._jwks

    def key_set(self) -> KeySet:
        return self._key_set


def _development_key() -> bytes:
    """The development signing key, generated on first run."""
    if not DEV_KEY_FILE.exists():
        DEV_KEY_FILE.parent.mkdir(mode=0o700, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        DEV_KEY_FILE.write_bytes(
            key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        )
        DEV_KEY_FILE.chmod(0o600)
    return DEV_KEY_FILE.read_bytes()


def _load(pem: bytes) -> Ed25519PrivateKey:
    try:
        return load_private_key(pem)
    except ValueError as exc:
        raise SettingsError(f"the JWT signing key: {exc}") from None
