"""Bearer tokens: verification with accounts' public key (JWKS); no service but
accounts holds a private key, so none can mint a token."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from jwt.algorithms import OKPAlgorithm

from cbkit.errors import Forbidden, Unauthenticated

log = logging.getLogger(__name__)

ISSUER = "creditbank-accounts"
AUDIENCE = "creditbank"
ALGORITHM = "EdDSA"
REFRESH_SECONDS = 60.0  # keys are read again this often: a removed key goes within it
REFETCH_SECONDS = 5.0  # an unknown key id refetches the JWKS at most this often


class Role(Enum):
    LEARNER = "LEARNER"
    REVIEWER = "REVIEWER"
    INSTITUTION = "INSTITUTION"
    ADMIN = "ADMIN"


@dataclass(frozen=True)
class Principal:
    account_id: str
    role: Role

    def has(self, *roles: Role) -> bool:
        return self.role in roles


class AuthError(Exception):
    """The token is missing, malformed, expired or not signed by accounts."""


class KeySet:
    """Public keys by key id, from accounts' JWKS (a URL or a file). The keys are read
    again every `refresh_seconds`, replacing the old ones, so a key taken out of the
    JWKS stops being trusted within one interval; an unknown kid reads them early, at
    most every `refetch_seconds`."""

    def __init__(
        self,
        jwks_url: str | None = None,
        keys: dict[str, Any] | None = None,
        *,
        jwks_file: str | None = None,
        refresh_seconds: float = REFRESH_SECONDS,
        refetch_seconds: float = REFETCH_SECONDS,
    ) -> None:
        self._url = jwks_url
        self._file = Path(jwks_file) if jwks_file else None
        self._keys: dict[str, Any] = dict(keys or {})
        self._refresh_seconds = refresh_seconds
        self._refetch_seconds = refetch_seconds
        self._fetched_at = time.monotonic() if keys is not None else None
        self._lock = asyncio.Lock()

    @classmethod
    def from_jwks(cls, jwks: dict[str, Any]) -> KeySet:
        """A fixed set of keys, never read again."""
        return cls(keys=_parse_jwks(jwks))

    @classmethod
    def configured(
        cls, jwks_file: str | None, jwks_url: str, refresh_seconds: float = REFRESH_SECONDS
    ) -> KeySet:
        """accounts' public keys: a JWKS file (CB_JWT_PUBLIC_KEY_FILE) or its JWKS URL."""
        if jwks_file:
            # Read now as well, so a missing or broken file stops the start.
            keys = _parse_jwks(json.loads(Path(jwks_file).read_bytes()))
            return cls(keys=keys, jwks_file=jwks_file, refresh_seconds=refresh_seconds)
        return cls(jwks_url=jwks_url, refresh_seconds=refresh_seconds)

    @property
    def refresh_seconds(self) -> float:
        return self._refresh_seconds

    async def key(self, kid: str) -> Any:
        if kid not in self._keys or self._due(kid):
            # Under the lock, so a request arriving mid-refresh waits for its outcome.
            async with self._lock:
                if self._due(kid):
                    await self._refresh()
        try:
            return self._keys[kid]
        except KeyError:
            raise AuthError("token signed by an unknown key") from None

    def _due(self, kid: str) -> bool:
        if self._url is None and self._file is None:
            return False
        if self._fetched_at is None:
            return True
        age = time.monotonic() - self._fetched_at
        unknown = kid not in self._keys
        return age >= self._refresh_seconds or (unknown and age >= self._refetch_seconds)

    async def _refresh(self) -> None:
        """Replace the keys by what the JWKS holds now. When it cannot be read, the keys
        read last stay (accounts being down must not sign everyone out) and it is tried
        again after `refetch_seconds`."""
        read_before = self._fetched_at is not None
        self._fetched_at = time.monotonic()
        try:
            self._keys = _parse_jwks(await self._read())
        except Exception as exc:  # unreachable, or not a JWKS: either way, not new keys
            log.warning("cannot read the signing keys: %r", exc)
            if read_before:
                self._fetched_at -= max(self._refresh_seconds - self._refetch_seconds, 0)
            if not self._keys:
                raise AuthError(f"cannot fetch signing keys: {exc}") from exc

    async def _read(self) -> Any:
        if self._file is not None:
            return json.loads(self._file.read_bytes())
        assert self._url
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(self._url)
            response.raise_for_status()
        return response.json()


def key_id(public_key: Any) -> str:
    """A stable key id: the start of the SHA-256 of the public key's JWK."""
    return hashlib.sha256(OKPAlgorithm.to_jwk(public_key).encode()).hexdigest()[:16]


def jwks(public_key: Any) -> dict[str, Any]:
    jwk = json.loads(OKPAlgorithm.to_jwk(public_key))
    return {"keys": [{**jwk, "kid": key_id(public_key), "use": "sig", "alg": ALGORITHM}]}


def _parse_jwks(jwks: dict[str, Any]) -> dict[str, Any]:
    return {k["kid"]: OKPAlgorithm.from_jwk(json.dumps(k)) for k in jwks.get("keys", [])}


def sign_token(
    private_key: Ed25519PrivateKey, account_id: str, role: Role, lifetime: timedelta
) -> str:
    """A token for `account_id` as `role`, valid for `lifetime` from now."""
    now = datetime.now(UTC)
    claims = {
        "sub": account_id,
        "role": role.value,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + lifetime,
    }
    return jwt.encode(
        claims, private_key, ALGORITHM, headers={"kid": key_id(private_key.public_key())}
    )


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    key = load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the signing key must be an Ed25519 private key")
    return key


def require(caller: Principal | AuthError | None, *roles: Role) -> Principal:
    """The caller, if signed in (with one of `roles`, when given); otherwise the refusal.
    A bad token is refused, never taken for an anonymous caller."""
    if isinstance(caller, AuthError):
        raise Unauthenticated(str(caller), zh=f"登录凭证无效：{caller}")
    if caller is None:
        raise Unauthenticated(
            "sign in first: this needs a bearer token", zh="请先登录：此操作需要持有者令牌"
        )
    if roles and caller.role not in roles:
        allowed = " or ".join(r.value for r in roles)
        raise Forbidden(
            f"only {allowed} accounts may do this",
            zh=f"只有 {'或'.join(r.value for r in roles)} 账户可以执行此操作",
        )
    return caller


def optional_caller(caller: Principal | AuthError | None) -> Principal | None:
    """The caller, or None when anonymous; a bad token is refused, never ignored."""
    if isinstance(caller, AuthError):
        raise Unauthenticated(str(caller), zh=f"登录凭证无效：{caller}")
    return caller


async def verify_token(token: str, keys: KeySet) -> Principal:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise AuthError("malformed token") from exc
    if header.get("alg") != ALGORITHM or "kid" not in header:
        raise AuthError("token is not signed with the expected algorithm")
    key = await keys.key(header["kid"])
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "role"]},
        )
        return Principal(account_id=claims["sub"], role=Role(claims["role"]))
    except jwt.ExpiredSignatureError as exc:
        raise AuthError("token expired") from exc
    except (jwt.PyJWTError, ValueError) as exc:
        raise AuthError(f"invalid token: {exc}") from exc


def bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise AuthError("Authorization header must be 'Bearer <token>'")
    return token.strip()
