"""certification's copy of the learners' consents to institutions, and how the
consent events change it whatever order they arrive in; no I/O."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime


@dataclass(frozen=True)
class Consent:
    """A learner's consent to an institution as heard: the grant with the latest
    `granted_at` (None while only a revocation arrived) and the latest revocation."""

    id: str
    learner_id: str
    institution_id: str
    granted_at: datetime | None = None
    expires_at: datetime | None = None
    revoked_at: datetime | None = None

    def active_at(self, now: datetime) -> bool:
        """Granted, not revoked since that grant, and not yet expired."""
        if self.granted_at is None or self.expires_at is None:
            return False
        revoked = self.revoked_at is not None and self.revoked_at >= self.granted_at
        return not revoked and self.expires_at > now


def with_grant(current: Consent | None, grant: Consent) -> Consent:
    """The copy after `consent.granted`: the grant with the latest `granted_at` sets
    the expiry, so a re-grant moves it earlier or later and an older grant arriving
    late changes nothing. A revocation heard before stays; a grant after it reopens."""
    assert grant.granted_at is not None
    if current is None:
        return grant
    if current.granted_at is not None and grant.granted_at < current.granted_at:
        return current
    return replace(current, granted_at=grant.granted_at, expires_at=grant.expires_at)


def with_revocation(current: Consent | None, revocation: Consent) -> Consent:
    """The copy after `consent.revoked`, even one that overtook its grant."""
    assert revocation.revoked_at is not None
    if current is None:
        return revocation
    latest = max(filter(None, (current.revoked_at, revocation.revoked_at)))
    return replace(current, revoked_at=latest)
