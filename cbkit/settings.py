"""Typed settings read once from the environment; a missing value fails fast by name."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENVIRONMENTS = ("development", "test", "production")
PLACEHOLDER_MARKERS = ("change-me", "changeme", "placeholder", "secret")
DEVELOPMENT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"


class SettingsError(RuntimeError):
    """A setting is missing or unacceptable; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    service: str
    environment: str
    postgres_url: str
    amqp_url: str
    exchange: str
    queue_prefix: str
    host: str
    port: int
    jwks_url: str
    jwt_public_key_file: str | None
    calendar_country: str = "CN"
    time_zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    extra: Mapping[str, str] = field(default_factory=dict)
    """Every CB_* variable as given; read them through the typed readers below."""

    @property
    def database(self) -> str:
        return f"{self.queue_prefix.replace('.', '_')}_{self.service}"

    @property
    def database_url(self) -> str:
        return f"{self.postgres_url.rstrip('/')}/{self.database}"

    @property
    def queue(self) -> str:
        return f"{self.queue_prefix}.{self.service}"

    @property
    def dead_letter_exchange(self) -> str:
        """The service's own: a broker user that may write to it can fill no other
        service's dead letters."""
        return f"{self.queue}.dlx"

    @property
    def dead_letter_queue(self) -> str:
        return f"{self.queue}.dlq"

    @property
    def is_development(self) -> bool:
        return self.environment != "production"

    def text(self, name: str, default: str | None = None) -> str | None:
        return self.extra.get(name) or default

    def positive_int(self, name: str, default: int) -> int:
        """A whole number of at least 1, or the default when unset; refused by name."""
        text = self.extra.get(name)
        if text is None:
            return default
        if not text.strip().isdigit() or int(text) < 1:
            raise SettingsError(f"{name} must be a positive whole number, not {text!r}")
        return int(text)

    def positive_seconds(self, name: str, default: float) -> float:
        """A positive number of seconds, or the default when unset; refused by name."""
        text = self.extra.get(name)
        if text is None:
            return default
        try:
            seconds = float(text)
        except ValueError:
            seconds = 0.0
        if not seconds > 0 or seconds == float("inf"):
            raise SettingsError(f"{name} must be a positive number of seconds, not {text!r}")
        return seconds

    def secret(self, name: str, default_for_development: str | None = None) -> str:
        """A secret from the environment; placeholders are refused outside development."""
        value = self.extra.get(name) or (default_for_development if self.is_development else None)
        if not value:
            raise SettingsError(f"{name} is required")
        if not self.is_development and any(m in value.lower() for m in PLACEHOLDER_MARKERS):
            raise SettingsError(f"{name} holds a placeholder; set a real secret in production")
        return value


# The zone whose calendar day is "today" for a calendar country, when CB_TIME_ZONE is unset.
COUNTRY_ZONES = {"CN": "Asia/Shanghai", "DE": "Europe/Berlin", "KR": "Asia/Seoul"}
COUNTRY_ZONES |= {"JP": "Asia/Tokyo", "FR": "Europe/Paris", "GB": "Europe/London"}


def _calendar(env: Mapping[str, str]) -> tuple[str, ZoneInfo]:
    country = env.get("CB_CALENDAR_COUNTRY") or "CN"
    if not (len(country) == 2 and country.isalpha() and country.isupper()):
        raise SettingsError(
            f"CB_CALENDAR_COUNTRY must be a country code such as CN, not {country!r}"
        )
    zone = env.get("CB_TIME_ZONE") or COUNTRY_ZONES.get(country)
    if not zone:
        raise SettingsError(f"CB_TIME_ZONE is required for CB_CALENDAR_COUNTRY={country}")
    try:
        return country, ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"CB_TIME_ZONE {zone!r} is not a known time zone") from None


def amqp_url_variable(service: str) -> str:
    """The variable holding a service's own broker URL (its user and password)."""
    return f"CB_AMQP_URL_{service.upper()}"


def _amqp_url(env: Mapping[str, str], service: str, environment: str) -> str:
    """The service's own broker user (CB_AMQP_URL_<SERVICE>), else the shared CB_AMQP_URL;
    in production never the broker's guest."""
    name = amqp_url_variable(service)
    url = env.get(name) or env.get("CB_AMQP_URL")
    if environment != "production":
        return url or DEVELOPMENT_AMQP_URL
    if not url:
        raise SettingsError(f"{name} (or CB_AMQP_URL) is required")
    source = name if env.get(name) else "CB_AMQP_URL"
    if unquote(urlsplit(url).username or "") == "guest":
        raise SettingsError(f"{source} connects as guest; in production a service has its own user")
    return _without_placeholder(source, url)


def _without_placeholder(name: str, url: str) -> str:
    password = unquote(urlsplit(url).password or "").lower()
    if any(marker in password for marker in PLACEHOLDER_MARKERS):
        raise SettingsError(f"{name} holds a placeholder password; set a real one in production")
    return url


def load_settings(
    service: str, env: Mapping[str, str] | None = None, default_port: int = 8000
) -> Settings:
    env = os.environ if env is None else env
    environment = env.get("CB_ENV", "development")
    if environment not in ENVIRONMENTS:
        raise SettingsError(f"CB_ENV must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}")

    def required(name: str, development_default: str) -> str:
        value = env.get(name) or (development_default if environment != "production" else "")
        if not value:
            raise SettingsError(f"{name} is required")
        return value

    port_text = env.get(f"CB_{service.upper()}_PORT", str(default_port))
    if not port_text.isdigit():
        raise SettingsError(f"CB_{service.upper()}_PORT must be a port number, not {port_text!r}")
    country, zone = _calendar(env)
    postgres_url = required("CB_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
    if environment == "production":
        _without_placeholder("CB_POSTGRES_URL", postgres_url)
    return Settings(
        service=service,
        environment=environment,
        postgres_url=postgres_url,
        amqp_url=_amqp_url(env, service, environment),
        exchange=env.get("CB_EXCHANGE", "creditbank.events"),
        queue_prefix=env.get("CB_QUEUE_PREFIX", "creditbank"),
        host=env.get("CB_HOST", "127.0.0.1"),
        port=int(port_text),
        jwks_url=required("CB_JWKS_URL", "http://127.0.0.1:4001/.well-known/jwks.json"),
        jwt_public_key_file=env.get("CB_JWT_PUBLIC_KEY_FILE") or None,
        calendar_country=country,
        time_zone=zone,
        extra={k: v for k, v in env.items() if k.startswith("CB_")},
    )
