"""Writes the development overlay's secrets into secrets/ (git-ignored), once: a random
password for each service's broker user, the admin and KEDA's monitoring user, and the
token and credential signing keys; URLs name the development cluster's PostgreSQL
(`postgresql`, user postgres, the password in secrets/postgres-password) and RabbitMQ
(`creditbank-rabbitmq`). Files that exist are kept, so the passwords stay the same.

    .venv/bin/python deploy/kubernetes/development/make_secrets.py [directory]

Then `kustomization.yaml`'s secretGenerator reads them; import the broker users with
deploy/kubernetes/README.md's `cbkit.broker definitions` step.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cbkit.broker import with_user
from cbkit.settings import amqp_url_variable, load_settings
from services import SERVICES

POSTGRES = "postgresql:5432"
BROKER = "amqp://creditbank-rabbitmq:5672/"
MANAGEMENT = "http://creditbank-rabbitmq:15672/"
KEDA_USER = "creditbank.keda"
SMTP = "smtp://mailpit:1025"


def _write(path: Path, text: str) -> None:
    """Readable by its owner only, from its first byte."""
    path.touch(mode=0o600)
    path.write_text(text)


def _keep(path: Path, make: Callable[[], str]) -> str:
    """The file's text, written first by `make()` when it does not exist."""
    if not path.exists():
        _write(path, make())
    return path.read_text().strip()


def _key() -> str:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem.decode()


def _password() -> str:
    return secrets.token_hex(24)


def write(directory: Path) -> list[str]:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    postgres = _keep(directory / "postgres-password", _password)
    written = []
    for name in SERVICES:
        queue = load_settings(name, {}).queue
        password = _keep(directory / f"broker-password-{name}", _password)
        lines = {
            "CB_POSTGRES_URL": f"postgresql://postgres:{postgres}@{POSTGRES}",
            amqp_url_variable(name): with_user(BROKER, queue, password),
        }
        if name == "accounts":
            lines["CB_ADMIN_EMAIL"] = "admin@creditbank.local"
            lines["CB_ADMIN_PASSWORD"] = _keep(directory / "admin-password", _password)
        if name == "notifications":
            lines["CB_SMTP_URL"] = SMTP
        _write(directory / f"{name}.env", "".join(f"{k}={v}\n" for k, v in lines.items()))
        written.append(f"{name}.env")
    keda = _keep(directory / "broker-password-keda", _password)
    _write(directory / "keda-rabbitmq.env", f"host={with_user(MANAGEMENT, KEDA_USER, keda)}\n")
    _keep(directory / "jwt_ed25519.pem", _key)
    _keep(directory / "credential_ed25519.pem", _key)
    return [*written, "keda-rabbitmq.env", "jwt_ed25519.pem", "credential_ed25519.pem"]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "secrets"
    print(f"{target}: {', '.join(write(target))}")
