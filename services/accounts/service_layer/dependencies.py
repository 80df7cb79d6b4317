"""What accounts' resolvers, handlers and jobs share, built once at start by
`service.py`."""

from __future__ import annotations

from dataclasses import dataclass

from cbkit.clock import Clock
from services.accounts.adapters.tokens import TokenIssuer
from services.accounts.domain.sign_in import Network
from services.accounts.service_layer.feed import FeedListener


@dataclass(frozen=True)
class Dependencies:
    tokens: TokenIssuer
    feed: FeedListener
    clock: Clock
    trusted_proxies: tuple[Network, ...] = ()
    """Peers whose X-Forwarded-For names the client signing in (CB_TRUSTED_PROXIES)."""
    redemption_reversal_days: int = 30
    """How many days after a redemption its institution may reverse it
    (CB_REDEMPTION_REVERSAL_DAYS)."""
