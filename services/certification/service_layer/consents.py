"""certification's copy of the consents: what the consent events do to it. Each is
safe to run twice or out of order."""

from __future__ import annotations

from collections.abc import Callable

from cbkit.db import Connection, lock
from services.certification import domain
from services.certification.domain import Consent
from services.certification.repository import closures, consents


async def grant(conn: Connection, grant: Consent) -> None:
    await _apply(conn, grant, domain.with_grant)


async def revoke(conn: Connection, revocation: Consent) -> None:
    """Remembered even before its grant arrives, so a late grant does not reopen it."""
    await _apply(conn, revocation, domain.with_revocation)


async def _apply(
    conn: Connection, heard: Consent, change: Callable[[Consent | None, Consent], Consent]
) -> None:
    async with conn.transaction():
        # a learner who closed their account leaves no consent behind, even a late one
        await lock(conn, f"learner:{heard.learner_id}")
        if await closures.is_closed(conn, heard.learner_id):
            return
        # two replicas hearing about one consent at once take turns
        await lock(conn, f"consent:{heard.id}")
        current = await consents.consent_by_id(conn, heard.id)
        await consents.save(conn, change(current, heard))
