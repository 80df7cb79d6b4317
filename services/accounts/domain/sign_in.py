"""Sign-in throttling and where a sign-in comes from; no I/O.

Every attempt is counted before its password is checked, once against its email and
once against its client address. A count grows with each attempt and is forgotten
after a quiet quarter hour; a sign-in that succeeds forgets its email's count and does
not count against its address. Past a number of free attempts, the next one must wait
a delay that doubles with each further attempt, up to a ceiling below a quarter hour:
nothing is ever locked, and one wrong password a quarter hour never makes anyone wait.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from math import ceil

from cbkit.errors import Refusal, Unauthenticated

QUIET = timedelta(minutes=15)
FIRST_DELAY = timedelta(seconds=15)
MAX_DELAY = timedelta(minutes=10)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# Where the gateway and other proxies of the deployment run: only they may say, in
# X-Forwarded-For, whom they forward (public addresses must not choose their own).
PRIVATE_NETWORKS = "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"


class Scope(Enum):
    EMAIL = "EMAIL"
    ADDRESS = "ADDRESS"


@dataclass(frozen=True)
class BackOff:
    free: int  # attempts that never wait

    def delays(self) -> list[float]:
        """Seconds the next attempt waits after the n-th (1-based) attempt, for each n
        up to where the ceiling is reached; past the list the last entry holds."""
        waits = [0.0] * (self.free - 1)
        delay = FIRST_DELAY
        while delay < MAX_DELAY:
            waits.append(delay.total_seconds())
            delay *= 2
        return [*waits, MAX_DELAY.total_seconds()]


# An address stands for many people (a campus behind one router): it gets more.
BACK_OFF = {Scope.EMAIL: BackOff(free=5), Scope.ADDRESS: BackOff(free=30)}


class SignInRefused(Unauthenticated):
    """The one answer to a wrong email or a wrong password: it tells neither apart."""


def refused() -> SignInRefused:
    return SignInRefused("wrong email or password", zh="电子邮箱或密码错误")


class TooManyRequests(Refusal):
    code = "TOO_MANY_REQUESTS"


def refuse_until(allowed_at: datetime, now: datetime) -> TooManyRequests:
    wait = max(1, ceil((allowed_at - now).total_seconds()))
    return TooManyRequests(
        f"too many failed sign-ins; try again in {wait} seconds",
        field="email",
        zh=f"登录失败次数过多；请在 {wait} 秒后重试",
    )


def parse_networks(text: str) -> tuple[Network, ...]:
    """Comma-separated addresses or networks (CIDR); ValueError names the bad one."""
    found = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            found.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"{part!r} is not an address or a network") from None
    return tuple(found)


def client_address(
    peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]
) -> str:
    """Who signs in: the first hop of X-Forwarded-For when a trusted proxy (the gateway)
    forwarded the request, else the peer itself."""
    if peer is None:
        return "unknown"
    if forwarded_for and _within(peer, trusted):
        first = forwarded_for.split(",")[0].strip()
        if _is_address(first):
            return first
    return peer


def _within(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
