"""Accounts alone signs tokens. The signing key comes from CB_JWT_PRIVATE_KEY (PEM)
or the file CB_JWT_PRIVATE_KEY_FILE; in development a key is generated on first
run into `.dev-keys/` (git-ignored). Access tokens live CB_ACCESS_TOKEN_MINUTES
(15 by default); the refresh tokens that renew them CB_REFRESH_TOKEN_DAYS (30)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from cbkit.auth import (
    KeySet,
    Principal,
    Role,
    jwks,
    load_private_key,
    sign_token,
)
from cbkit.settings import Settings, SettingsError
from cbkit.subscriptions import verified

DEV_KEY_FILE = Path(".dev-keys/jwt_ed25519.pem")
ACCESS_MINUTES = 15
REFRESH_DAYS = 30


class TokenIssuer:
    def __init__(
        self,
        private_key: Ed25519PrivateKey,
        access_lifetime: timedelta = timedelta(minutes=ACCESS_MINUTES),
        refresh_lifetime: timedelta = timedelta(days=REFRESH_DAYS),
    ) -> None:
        self._key = private_key
        self._jwks = jwks(private_key.public_key())
        self._key_set = KeySet.from_jwks(self._jwks)
        self.access_lifetime = access_lifetime
        self.refresh_lifetime = refresh_lifetime

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenIssuer:
        access = timedelta(minutes=settings.positive_int("CB_ACCESS_TOKEN_MINUTES", ACCESS_MINUTES))
        refresh = timedelta(days=settings.positive_int("CB_REFRESH_TOKEN_DAYS", REFRESH_DAYS))
        return cls(_signing_key(settings), access, refresh)

    def issue(self, account_id: str, role: Role, lifetime: timedelta | None = None) -> str:
        """An access token, valid for the configured minutes unless told otherwise."""
        lifetime = self.access_lifetime if lifetime is None else lifetime
        return sign_token(self._key, account_id, role, lifetime)

    async def verified(self, authorization: str) -> tuple[Principal, datetime]:
        """Who an `Authorization: Bearer` value names and until when; AuthError when it
        names no one (a bad, expired or foreign token)."""
        return await verified(authorization, self._key_set)

    def jwks(self) -> dict[str, Any]:
        return self._jwks

    def key_set(self) -> KeySet:
        return self._key_set


def _signing_key(settings: Settings) -> Ed25519PrivateKey:
    pem = settings.text("CB_JWT_PRIVATE_KEY")
    path = settings.text("CB_JWT_PRIVATE_KEY_FILE")
    if pem:
        return _load(pem.encode())
    if path:
        return _load(Path(path).read_bytes())
    if not settings.is_development:
        raise SettingsError("CB_JWT_PRIVATE_KEY or CB_JWT_PRIVATE_KEY_FILE is required")
    return _load(_development_key())


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
