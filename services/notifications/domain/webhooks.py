"""Institutions' webhooks by the Standard Webhooks specification: which events an
endpoint may subscribe to, the URL policy, the signing secret and signature, the
payload, the retry schedule and who may manage endpoints. Pure: no I/O (the address
a host resolves to is checked here, resolved by `adapters/webhook_client.py`)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

import orjson

from cbkit import wire
from cbkit.auth import Principal, Role
from cbkit.errors import Forbidden, NotFound, Refusal

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 24
"""Random bytes in a signing secret (the specification asks for 24 to 64)."""
MAX_URL = 2000
MAX_ENDPOINTS = 20
"""Endpoints one institution registers at most."""
MAX_REPLAY = 1000
"""Deliveries one replayWebhookDeliveries queues again at most."""
DEFAULT_OVERLAP_HOURS = 24
"""How long a rotated-out secret still signs (alongside the new one) by default."""
MAX_OVERLAP_HOURS = 168
DELIVERY_NAMESPACE = uuid.UUID("5b0e7a52-3c1e-4f7c-9a55-6c2f1d3e8b17")


class EventType(Enum):
    """The events an endpoint subscribes to; the value is the payload's `type` (the
    routing key of docs/events.md)."""

    CREDITS_CONVERTED = "credits.converted"
    CREDITS_REVOKED = "credits.revoked"
    CREDITS_EXPIRED = "credits.expired"
    CREDITS_REDEEMED = "credits.redeemed"
    REDEMPTION_REVERSED = "credits.redemption_reversed"
    CERTIFICATE_AWARDED = "certificate.awarded"
    CERTIFICATION_APPROVED = "certification.approved"
    CONSENT_GRANTED = "consent.granted"
    CONSENT_REVOKED = "consent.revoked"

    @property
    def about_consent(self) -> bool:
        """A consent's own events go to its institution whether it is active or not."""
        return self in (EventType.CONSENT_GRANTED, EventType.CONSENT_REVOKED)


class DeliveryState(Enum):
    PENDING = "PENDING"
    """Queued or being retried (or held while its endpoint is disabled)."""
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    """Every attempt of the schedule failed; the endpoint was disabled."""
    CANCELLED = "CANCELLED"
    """Dropped before it succeeded; `cancelled_reason` says why."""
    DROPPED = "DROPPED"
    """Unsent: its endpoint was disabled and more deliveries than the backlog allows
    waited for it, this one among the oldest; a replay sends it."""


class CancelReason(Enum):
    CONSENT_REVOKED = "CONSENT_REVOKED"
    CONSENT_EXPIRED = "CONSENT_EXPIRED"
    ACCOUNT_CLOSED = "ACCOUNT_CLOSED"


BACKOFF: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
"""The waits after the 1st, 2nd, ... failed attempt (27 h 35 min in all); after the
last wait's attempt fails too, the delivery fails and the endpoint is disabled."""
JITTER = 0.1
"""Each wait is stretched or shrunk by up to this share, at random (so at least
24 h 50 min in all), so endpoints that failed together are not retried together."""


def next_attempt(failures: int, failed_at: datetime, jitter: float) -> datetime | None:
    """When to try again after the `failures`-th failed attempt at `failed_at`; None
    when the schedule is over. `jitter` is a random number in [-1, 1]."""
    if failures > len(BACKOFF):
        return None
    wait = BACKOFF[failures - 1]
    return failed_at + wait * (1 + JITTER * max(-1.0, min(1.0, jitter)))


@dataclass(frozen=True)
class ConsentTerm:
    """What this service last heard of one consent: its latest grant (None while only
    its revocation arrived) with the expiry that grant set, and its latest revocation."""

    institution_id: str
    granted_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    def active_at(self, now: datetime) -> bool:
        """Granted, not revoked since, and not yet expired at `now`."""
        if self.granted_at is None or self.expires_at is None:
            return False
        if self.revoked_at is not None and self.revoked_at >= self.granted_at:
            return False
        return self.expires_at > now


def consenting(terms: Sequence[ConsentTerm], now: datetime) -> set[str]:
    """The institutions a learner's consents (`terms`) let read the learner at `now`."""
    return {term.institution_id for term in terms if term.active_at(now)}


@dataclass(frozen=True)
class Endpoint:
    id: str
    institution_id: str
    url: str
    event_types: tuple[EventType, ...]
    secret: str
    enabled: bool
    disabled_reason: str | None
    disabled_at: datetime | None
    created_at: datetime
    previous_secret: str | None = None
    """The secret a rotation replaced, still signing until `previous_secret_expires_at`."""
    previous_secret_expires_at: datetime | None = None

    def previous_until(self, now: datetime) -> datetime | None:
        """Until when the previous secret still signs, if it does at `now`."""
        until = self.previous_secret_expires_at
        return until if self.previous_secret and until is not None and until > now else None

    def signing_secrets(self, now: datetime) -> tuple[str, ...]:
        """The secrets a delivery at `now` is signed with: the current one, and the
        previous one while its overlap lasts."""
        if self.previous_secret and self.previous_until(now):
            return (self.secret, self.previous_secret)
        return (self.secret,)

    def rotated(self, secret: str, now: datetime, overlap_hours: int) -> Endpoint:
        """The endpoint signing with `secret` from `now`, its current secret still
        signing too for `overlap_hours` (0: no more)."""
        if overlap_hours == 0:
            return replace(
                self, secret=secret, previous_secret=None, previous_secret_expires_at=None
            )
        until = now + timedelta(hours=overlap_hours)
        return replace(
            self, secret=secret, previous_secret=self.secret, previous_secret_expires_at=until
        )


def check_overlap(hours: int | None) -> int:
    """The hours a rotated-out secret still signs: 0 to 168, 24 when not given."""
    if hours is None:
        return DEFAULT_OVERLAP_HOURS
    if not 0 <= hours <= MAX_OVERLAP_HOURS:
        raise Refusal(
            f"overlapHours must be 0 to {MAX_OVERLAP_HOURS} (hours the old secret still signs)",
            field="overlapHours",
            zh=f"overlapHours 必须在 0 到 {MAX_OVERLAP_HOURS} 之间（旧密钥继续签名的小时数）",
        )
    return hours


@dataclass(frozen=True)
class Attempt:
    """One try of a delivery: the HTTP status (None when no answer came), how long
    the answer took and what went wrong (None on a 2xx)."""

    at: datetime
    status: int | None
    response_ms: int | None
    error: str | None

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class Delivery:
    """One event to one endpoint; its id is the `webhook-id` of every attempt."""

    id: str
    position: int
    endpoint_id: str
    event_id: str
    event_type: EventType
    learner_id: str
    body: str
    state: DeliveryState
    failures: int
    next_attempt_at: datetime | None
    cancelled_reason: CancelReason | None
    created_at: datetime
    delivered_at: datetime | None

    @property
    def webhook_id(self) -> str:
        return webhook_id(self.id)


def delivery_id(endpoint_id: str, event_id: str) -> str:
    """The one delivery of an event to an endpoint (the same on every attempt)."""
    return str(uuid.uuid5(DELIVERY_NAMESPACE, f"{endpoint_id}:{event_id}"))


def webhook_id(delivery: str) -> str:
    return f"msg_{uuid.UUID(delivery).hex}"


def payload(event_type: EventType, at: datetime, data: Mapping[str, Any]) -> str:
    """The body the specification describes: the type, when it happened and its data."""
    body = {"type": event_type.value, "timestamp": wire.instant(at), "data": dict(data)}
    return orjson.dumps(body, default=wire.json_default).decode()


def new_secret(random: bytes) -> str:
    """A signing secret made of `random` (at least 24 bytes): shown once to its institution."""
    if len(random) < SECRET_BYTES:
        raise ValueError("a signing secret needs at least 24 random bytes")
    return SECRET_PREFIX + base64.b64encode(random).decode()


def signature(secret: str, msg_id: str, timestamp: int, body: str) -> str:
    """The `webhook-signature` header: v1, the base64 HMAC-SHA256 with the secret's
    bytes of `{id}.{timestamp}.{body}`."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{msg_id}.{timestamp}.{body}".encode()
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secrets: Sequence[str], msg_id: str, timestamp: int, body: str) -> dict[str, str]:
    """The headers of a delivery signed with each of `secrets` (space separated in
    `webhook-signature`, as the specification allows while a secret is rotated)."""
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(s, msg_id, timestamp, body) for s in secrets),
    }


@dataclass(frozen=True)
class Target:
    """Where a checked URL points: its scheme, host and port."""

    scheme: str
    host: str
    port: int


def _refuse_url(en: str, zh: str) -> Refusal:
    return Refusal(f"url {en}", field="url", zh=f"url {zh}")


def check_url(url: str, allow_private: bool) -> Target:
    """A webhook URL checked: https (http only where private addresses are allowed,
    in development and tests), a host, no user or password in it, no fragment."""
    if len(url) > MAX_URL:
        raise _refuse_url(f"is longer than {MAX_URL} characters", f"不能超过 {MAX_URL} 个字符")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise _refuse_url("is not a URL", "不是有效的网址") from None
    scheme = parts.scheme.lower()
    allowed = ("https", "http") if allow_private else ("https",)
    if scheme not in allowed:
        raise _refuse_url(
            "must start with https:// (plain http only in development)",
            "必须以 https:// 开头（仅开发环境允许 http）",
        )
    if not parts.hostname:
        raise _refuse_url("names no host", "缺少主机名")
    if parts.username is not None or parts.password is not None:
        raise _refuse_url(
            "must not hold a user or password (the signature authenticates)",
            "不能包含用户名或密码（签名即认证）",
        )
    if parts.fragment:
        raise _refuse_url("must not have a #fragment", "不能包含 # 片段")
    return Target(scheme, parts.hostname, port or (443 if scheme == "https" else 80))


def address_allowed(address: str, allow_private: bool) -> bool:
    """Whether a webhook may go to `address`: any when private ones are allowed, else
    only a public unicast one (not private, loopback, link-local, multicast, reserved
    or unspecified; an IPv4 address mapped into IPv6 is judged as IPv4)."""
    if allow_private:
        return True
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def refuse_address(host: str, address: str | None) -> Refusal:
    if address is None:
        return _refuse_url(f"host {host[:100]} does not resolve", f"主机 {host[:100]} 无法解析")
    return _refuse_url(
        f"host {host[:100]} resolves to {address}, a private, loopback, link-local,"
        " multicast or reserved address",
        f"主机 {host[:100]} 解析到 {address}，这是私有、回环、链路本地、组播或保留地址",
    )


def check_event_types(types: Sequence[EventType]) -> tuple[EventType, ...]:
    """The event types asked for: at least one, each once, in the order given."""
    if not types:
        raise Refusal(
            "eventTypes must name at least one event type",
            field="eventTypes",
            zh="eventTypes 至少要包含一种事件类型",
        )
    return tuple(dict.fromkeys(types))


def require_institution(viewer: Principal) -> None:
    """Only an institution registers and manages webhook endpoints (its own)."""
    if viewer.role is not Role.INSTITUTION:
        raise Forbidden(
            "only an institution manages webhook endpoints",
            field="webhookEndpoints",
            zh="只有机构可以管理 Webhook 端点",
        )


def may_read_endpoints(viewer: Principal, institution_id: str) -> bool:
    """An institution reads its own endpoints and their logs; admins read anyone's
    (never a secret: it is shown once, at registration or rotation)."""
    if viewer.role is Role.ADMIN:
        return True
    return viewer.role is Role.INSTITUTION and viewer.account_id == institution_id


def require_read_endpoints(viewer: Principal, institution_id: str, is_institution: bool) -> None:
    """Refuse unless `viewer` may read the endpoints of the account `institution_id`;
    an account that is no institution has none to read, which is said to admins too."""
    if not may_read_endpoints(viewer, institution_id):
        raise Forbidden(
            "an institution's webhook endpoints are read only by the institution and admins",
            field="webhookEndpoints",
            zh="机构的 Webhook 端点仅限该机构和管理员查看",
        )
    if not is_institution:
        raise NotFound(
            f"account {institution_id[:40]} is no institution: it has no webhook endpoints",
            field="webhookEndpoints",
            zh=f"账户 {institution_id[:40]} 不是机构，没有 Webhook 端点",
        )


def readable_endpoint(viewer: Principal, endpoint_id: str, found: Endpoint | None) -> Endpoint:
    """The endpoint `endpoint_id` (`found`, None when there is none) if `viewer` may
    read it, its own institution or an admin; else refused, saying why."""
    if viewer.role not in (Role.INSTITUTION, Role.ADMIN):
        raise Forbidden(
            "only an institution reads its webhook endpoints",
            field="webhookEndpoint",
            zh="只有机构可以查看自己的 Webhook 端点",
        )
    if found is None:
        raise NotFound(
            f"there is no webhook endpoint {endpoint_id[:40]}",
            field="webhookEndpoint",
            zh=f"不存在 Webhook 端点 {endpoint_id[:40]}",
        )
    if not may_read_endpoints(viewer, found.institution_id):
        raise Forbidden(
            f"webhook endpoint {endpoint_id[:40]} is another institution's, not yours",
            field="webhookEndpoint",
            zh=f"Webhook 端点 {endpoint_id[:40]} 属于其他机构，不是你的",
        )
    return found


def too_many_endpoints() -> Refusal:
    return Refusal(
        f"an institution registers at most {MAX_ENDPOINTS} webhook endpoints",
        field="url",
        zh=f"每个机构最多注册 {MAX_ENDPOINTS} 个 Webhook 端点",
    )
