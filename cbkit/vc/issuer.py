"""The issuer: its public address (CB_PUBLIC_URL, whose did:web is the issuer's id) and
its credential signing keys, its own and not the token key.

- CB_CREDENTIAL_KEY (PEM) or the file CB_CREDENTIAL_KEY_FILE: the current Ed25519
  private key; generated in development into `.dev-keys/` (git-ignored), required in
  production.
- CB_CREDENTIAL_PREVIOUS_KEYS_FILE (optional): older public keys, kept listed so that
  the credentials they signed stay verifiable after a rotation; PEM blocks and/or
  Multikey `z…` strings, one a line (`#` starts a comment), oldest first.

The keys are numbered in that stable order: previous keys first (key-1, key-2, …), the
current key last. Rotating appends the retired key to the previous-keys file and sets a
new current key, so every old key keeps its number and its verification method id."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)

from cbkit.settings import ENVIRONMENTS, SettingsError
from cbkit.vc.did import did_document, did_web, key_id
from cbkit.vc.keys import decode_public_key_multibase

PUBLIC_URL_ENV = "CB_PUBLIC_URL"
KEY_ENV = "CB_CREDENTIAL_KEY"
KEY_FILE_ENV = "CB_CREDENTIAL_KEY_FILE"
PREVIOUS_KEYS_FILE_ENV = "CB_CREDENTIAL_PREVIOUS_KEYS_FILE"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:4000"
DEV_KEY_FILE = Path(".dev-keys/credential_ed25519.pem")
_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z ]+)-----.*?-----END \1-----", re.DOTALL)


@dataclass(frozen=True)
class IssuerKeys:
    """The issuer's did:web, its current signing key and every public key it lists."""

    public_url: str
    did: str
    signing_key: Ed25519PrivateKey
    public_keys: tuple[Ed25519PublicKey, ...]
    """Previous keys first, the current key last (key-1 … key-N)."""

    @property
    def verification_method(self) -> str:
        """The id of the current key: what a new credential's proof names."""
        return key_id(self.did, len(self.public_keys))

    def document(self) -> dict[str, Any]:
        """The DID document served at /.well-known/did.json."""
        return did_document(self.did, self.public_keys)


def load_issuer_keys(environ: Mapping[str, str] | None = None) -> IssuerKeys:
    """The issuer's keys from the environment; SettingsError naming the variable when one
    is missing in production or unreadable."""
    environ = os.environ if environ is None else environ
    production = _environment(environ) == "production"
    public_url = environ.get(PUBLIC_URL_ENV) or ("" if production else DEFAULT_PUBLIC_URL)
    if not public_url:
        raise SettingsError(f"{PUBLIC_URL_ENV} is required (the issuer's public address)")
    try:
        did = did_web(public_url.rstrip("/"))
    except ValueError as error:
        raise SettingsError(f"{PUBLIC_URL_ENV}: {error}") from None
    signing_key = _signing_key(environ, production)
    previous = _previous_keys(environ.get(PREVIOUS_KEYS_FILE_ENV))
    current = signing_key.public_key()
    raw = current.public_bytes(Encoding.Raw, PublicFormat.Raw)
    if any(k.public_bytes(Encoding.Raw, PublicFormat.Raw) == raw for k in previous):
        raise SettingsError(f"{PREVIOUS_KEYS_FILE_ENV} lists the current credential key")
    return IssuerKeys(public_url.rstrip("/"), did, signing_key, (*previous, current))


def _environment(environ: Mapping[str, str]) -> str:
    environment = environ.get("CB_ENV") or "development"
    if environment not in ENVIRONMENTS:
        raise SettingsError(f"CB_ENV must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}")
    return environment


def _signing_key(environ: Mapping[str, str], production: bool) -> Ed25519PrivateKey:
    pem = environ.get(KEY_ENV)
    path = environ.get(KEY_FILE_ENV)
    if pem:
        return _private(pem.replace("\\n", "\n").encode(), KEY_ENV)
    if path:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise SettingsError(f"{KEY_FILE_ENV}: {error.strerror}: {path}") from None
        return _private(data, KEY_FILE_ENV)
    if production:
        raise SettingsError(
            f"{KEY_FILE_ENV} (or {KEY_ENV}) is required: the credential signing key"
            " (Ed25519, PEM; not the token key)"
        )
    return _private(_development_key(), str(DEV_KEY_FILE))


def _development_key() -> bytes:
    """The development credential key, generated on first run. Processes starting at once
    (the gateway that publishes the key, the service that signs with it) agree on one:
    each writes a candidate to its own file and links it into place, and a process that
    loses the race reads the winner's."""
    if not DEV_KEY_FILE.exists():
        DEV_KEY_FILE.parent.mkdir(mode=0o700, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        candidate = DEV_KEY_FILE.with_name(f".{DEV_KEY_FILE.name}.{os.getpid()}")
        candidate.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
        candidate.chmod(0o600)
        try:
            os.link(candidate, DEV_KEY_FILE)
        except FileExistsError:
            pass
        finally:
            candidate.unlink()
    return DEV_KEY_FILE.read_bytes()


def _private(pem: bytes, where: str) -> Ed25519PrivateKey:
    try:
        key = load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise SettingsError(f"{where}: not a PEM private key ({error})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SettingsError(f"{where}: the credential key must be Ed25519")
    return key


def _previous_keys(path: str | None) -> tuple[Ed25519PublicKey, ...]:
    if not path:
        return ()
    try:
        text = Path(path).read_text()
    except OSError as error:
        raise SettingsError(f"{PREVIOUS_KEYS_FILE_ENV}: {error.strerror}: {path}") from None
    return parse_public_keys(text)


def parse_public_keys(text: str) -> tuple[Ed25519PublicKey, ...]:
    """Ed25519 public keys in the order written: PEM blocks and Multikey lines."""
    keys: list[Ed25519PublicKey] = []
    position = 0
    for match in _PEM_BLOCK.finditer(text):
        keys.extend(_multikey_lines(text[position : match.start()]))
        keys.append(_public_pem(match.group(0)))
        position = match.end()
    keys.extend(_multikey_lines(text[position:]))
    return tuple(keys)


def _multikey_lines(text: str) -> list[Ed25519PublicKey]:
    keys = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            keys.append(decode_public_key_multibase(line))
        except ValueError as error:
            raise SettingsError(f"{PREVIOUS_KEYS_FILE_ENV}: {line[:20]!r}: {error}") from None
    return keys


def _public_pem(block: str) -> Ed25519PublicKey:
    try:
        key = load_pem_public_key(block.encode())
    except ValueError as error:
        raise SettingsError(f"{PREVIOUS_KEYS_FILE_ENV}: not a PEM public key ({error})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SettingsError(f"{PREVIOUS_KEYS_FILE_ENV}: every previous key must be Ed25519")
    return key
