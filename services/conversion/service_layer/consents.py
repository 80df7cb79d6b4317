"""Use cases of conversion's copy of the consents: what lets an institution read a
learner's credits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cbkit.db import Connection
from services.conversion import domain
from services.conversion.repository import consents
from services.conversion.repository.consents import Pair


async def grant(conn: Connection, grant: domain.ConsentGrant) -> None:
    """Record a grant; a later one than the latest known moves the expiry, either way."""
    await consents.grant(conn, grant)


async def revoke(conn: Connection, consent: domain.Consent, revoked_at: datetime) -> None:
    """Revoke the consent, even before its grant arrives."""
    await consents.revoke(conn, consent, revoked_at)


async def consented(conn: Connection, pairs: Sequence[Pair], now: datetime) -> list[bool]:
    """Per (institution, learner) pair, whether the learner has a consent to the
    institution active at `now`."""
    terms = await consents.terms_between(conn, pairs)
    return [any(term.active_at(now) for term in found) for found in terms]
