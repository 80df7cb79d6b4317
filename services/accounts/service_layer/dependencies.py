"""What accounts' resolvers, handlers and jobs share, built once at start by
`service.py`."""

from __future__ import annotations

from dataclasses import dataclass

from cbkit.clock import Clock
from services.accounts.service_layer.feed import FeedListener
from services.accounts.tokens import TokenIssuer


@dataclass(frozen=True)
class Dependencies:
    tokens: TokenIssuer
    feed: FeedListener
    clock: Clock
