"""Use cases for closed accounts (`account.closed`): a learner's personal data is
erased, the figures stay; and a closed learner deposits nothing more."""

from __future__ import annotations

import logging
from datetime import datetime

from cbkit.auth import Role
from cbkit.db import Connection, lock
from services.outcomes.domain import ERASED, access
from services.outcomes.repository import closures

log = logging.getLogger(__name__)


async def close_account(conn: Connection, account_id: str, role: Role, closed_at: datetime) -> None:
    """Erase what outcomes holds about the account. A learner's files go (bytes and
    descriptions, attached or loose), their results keep kind, status and dates with
    their text erased, our copies of their consents and reviewers go, and the closure
    is kept so nothing comes back. Idempotent: a second closure erases nothing more."""
    async with conn.transaction():
        if role is not Role.LEARNER:
            await closures.forget_party(conn, account_id)
            return
        # after a deposit or an upload in progress, and before any that follows
        await lock(conn, account_id)
        await lock(conn, f"evidence-quota:{account_id}")
        await closures.record_closure(conn, account_id, closed_at)
        files = await closures.delete_files(conn, account_id)
        await closures.erase_results(conn, account_id, ERASED)
        await closures.forget_learner(conn, account_id)
        await closures.erase_sent_events(conn, account_id)
    log.info("closed learner %s: %d files deleted, results erased", account_id, files)


async def require_open(conn: Connection, learner_id: str) -> None:
    """Refuses a learner who closed their account (with a token issued before)."""
    access.require_open_account(await closures.is_closed(conn, learner_id))
