"""The way out to institutions' webhook endpoints: resolve the host and refuse a
private address (unless allowed), then POST the signed body to the very address
checked (the TLS name still the host's), with connect and read timeouts, a deadline
on the whole attempt, at most a few hundred bytes of the answer read and no redirect
followed; each attempt reports its status, time taken and error."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import httpx

from cbkit.errors import Refusal
from cbkit.settings import Settings, SettingsError
from services.notifications.domain import webhooks
from services.notifications.domain.webhooks import Target

MAX_ERROR = 300
"""Characters of an error (or an answer's start) kept in the delivery log."""


@dataclass(frozen=True)
class WebhookPolicy:
    """How webhooks are sent, from the settings: whether private addresses (and plain
    http) are allowed (CB_WEBHOOK_ALLOW_PRIVATE: true in development and tests,
    false in production unless set), the timeouts, how often idle workers look for
    due deliveries, how many deliveries one replica sends at once and how many a
    disabled endpoint keeps waiting at most (CB_WEBHOOK_DISABLED_BACKLOG)."""

    allow_private: bool
    connect_seconds: float = 5.0
    read_seconds: float = 10.0
    poll_seconds: float = 5.0
    concurrency: int = 32
    disabled_backlog: int = 10_000

    @property
    def attempt_seconds(self) -> float:
        """The longest one attempt may take, whatever the receiver does (a slow trickle
        of bytes included): resolving, connecting and the answer's first bytes."""
        return self.connect_seconds + self.read_seconds

    @property
    def lease(self) -> timedelta:
        """How long a claimed delivery stays its claimer's: four times the longest
        attempt, so only a replica that died (or stalled) loses what it claimed."""
        return timedelta(seconds=4 * self.attempt_seconds)

    @classmethod
    def configured(cls, settings: Settings) -> WebhookPolicy:
        text = (settings.text("CB_WEBHOOK_ALLOW_PRIVATE") or "").strip().lower()
        if text not in ("", "true", "false"):
            raise SettingsError(f"CB_WEBHOOK_ALLOW_PRIVATE must be true or false, not {text!r}")
        allow = settings.is_development if not text else text == "true"
        return cls(
            allow_private=allow,
            connect_seconds=settings.positive_seconds("CB_WEBHOOK_CONNECT_SECONDS", 5.0),
            read_seconds=settings.positive_seconds("CB_WEBHOOK_READ_SECONDS", 10.0),
            poll_seconds=settings.positive_seconds("CB_WEBHOOK_POLL_SECONDS", 5.0),
            concurrency=settings.positive_int("CB_WEBHOOK_CONCURRENCY", 32),
            disabled_backlog=settings.positive_int("CB_WEBHOOK_DISABLED_BACKLOG", 10_000),
        )


@dataclass(frozen=True)
class Answer:
    """What one attempt got: the status (None without an answer), the milliseconds
    it took and what went wrong (None on a 2xx)."""

    status: int | None
    response_ms: int | None
    error: str | None


async def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (a literal address stands for itself)."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        found = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return list(dict.fromkeys(str(info[4][0]) for info in found))


async def checked_address(target: Target, allow_private: bool) -> str:
    """The address to connect to for `target`, every one it resolves to allowed;
    refused (field url) when one is not or none is found."""
    addresses = await resolve(target.host, target.port)
    if not addresses:
        raise webhooks.refuse_address(target.host, None)
    for address in addresses:
        if not webhooks.address_allowed(address, allow_private):
            raise webhooks.refuse_address(target.host, address)
    return addresses[0]


def _pinned(url: str, address: str) -> str:
    """`url` with its host replaced by `address` (the port, path and query kept)."""
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


async def _first_bytes(response: httpx.Response, limit: int) -> bytes:
    """At most `limit` bytes of the answer's body: what the log keeps of it, however
    much the receiver sends."""
    kept = bytearray()
    async for chunk in response.aiter_bytes():
        kept += chunk
        if len(kept) >= limit:
            break
    return bytes(kept[:limit])


class WebhookClient:
    """One HTTP client for every delivery of a replica."""

    def __init__(self, policy: WebhookPolicy) -> None:
        self.policy = policy
        self._http = httpx.AsyncClient(
            follow_redirects=False,
            timeout=httpx.Timeout(
                connect=policy.connect_seconds,
                read=policy.read_seconds,
                write=policy.read_seconds,
                pool=policy.connect_seconds,
            ),
            limits=httpx.Limits(max_connections=policy.concurrency * 2),
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def send(self, url: str, headers: dict[str, str], body: str) -> Answer:
        """POST `body` with `headers` to `url`, its host resolved and checked now (DNS
        may have changed since registration) and the request sent to that address."""
        started = time.perf_counter()
        try:
            target = webhooks.check_url(url, self.policy.allow_private)
            address = await checked_address(target, self.policy.allow_private)
        except Refusal as refused:
            return Answer(None, None, refused.text("en")[:MAX_ERROR])
        host = urlsplit(url).netloc.rsplit("@", 1)[-1]
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        request = self._http.build_request(
            "POST",
            _pinned(url, address),
            content=body.encode(),
            headers={**headers, "host": host, "user-agent": "CreditBank-Webhooks/1"},
            extensions=extensions,
        )
        try:
            async with asyncio.timeout(self.policy.attempt_seconds):
                response = await self._http.send(request, stream=True)
                try:
                    start = await _first_bytes(response, MAX_ERROR * 4)
                finally:
                    await response.aclose()
        except (httpx.TimeoutException, TimeoutError) as error:
            return Answer(None, _ms(started), f"timeout: {type(error).__name__}")
        except httpx.HTTPError as error:
            return Answer(None, _ms(started), f"{type(error).__name__}: {error}"[:MAX_ERROR])
        took = _ms(started)
        if 200 <= response.status_code < 300:
            return Answer(response.status_code, took, None)
        if response.is_redirect:
            where = response.headers.get("location", "")
            return Answer(response.status_code, took, f"redirect not followed: {where}"[:MAX_ERROR])
        text = start.decode(response.encoding or "utf-8", "replace")[:MAX_ERROR]
        return Answer(response.status_code, took, f"HTTP {response.status_code}: {text}".strip())


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
