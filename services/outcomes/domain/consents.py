"""Our copy of learners' consents, kept from accounts' events; no I/O.

Events may arrive out of order: the copy keeps the latest grant (its instant and
expiry) and the latest revocation, and the instants decide between them. A re-grant
moves the expiry either way; a revocation closes the consent until a later grant
reopens it; an expiry needs no event, it is compared with the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ConsentParties:
    """Which consent an event is about: its id, its learner and its institution."""

    consent_id: str
    learner_id: str
    institution_id: str


@dataclass(frozen=True)
class ConsentCopy:
    learner_id: str
    granted_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    def active_at(self, now: datetime) -> bool:
        if self.granted_at is None or self.expires_at is None:
            return False  # only a revocation was heard so far
        if self.revoked_at is not None and self.revoked_at >= self.granted_at:
            return False
        return self.expires_at > now
