"""What `account.closed` does here: a learner's open cases are withdrawn and their
personal text erased, their consent copies removed, and nothing they send later
opens anything; decisions, dates and statuses stay for the figures. An institution's
consent copies go with it; a reviewer's cases in review wait unclaimed again. Safe
to run twice."""

from __future__ import annotations

from datetime import datetime

from cbkit.auth import Role
from cbkit.db import Connection, lock
from services.certification import domain
from services.certification.repository import cases, closures, consents, history


async def close_account(conn: Connection, account_id: str, role: Role, closed_at: datetime) -> None:
    if role is Role.LEARNER:
        await close_learner(conn, account_id, closed_at)
    elif role is Role.INSTITUTION:
        await consents.forget_institution(conn, account_id)
    else:
        await release_cases_of(conn, account_id, closed_at)


async def close_learner(conn: Connection, learner_id: str, closed_at: datetime) -> None:
    async with conn.transaction():
        # one closure at a time per learner, and none beside a case opening for them
        await lock(conn, f"learner:{learner_id}")
        await closures.remember(conn, learner_id, closed_at)
        for case in await cases.open_cases_of_learner(conn, learner_id):
            change = domain.close_for_learner(case, closed_at)
            if change is not None:
                await cases.save_change(conn, case, change)
        await cases.erase_learner(conn, learner_id, closed_at)
        await history.erase_learner_notes(conn, learner_id)
        await consents.forget_learner(conn, learner_id)


async def is_closed(conn: Connection, learner_id: str) -> bool:
    return await closures.is_closed(conn, learner_id)


async def release_cases_of(conn: Connection, reviewer_id: str, closed_at: datetime) -> None:
    """A reviewer (or an admin) closed their account: the cases they held in review
    wait unclaimed again, so none is stuck with nobody to decide it."""
    async with conn.transaction():
        for case in await cases.held_by(conn, reviewer_id):
            change = domain.release(case, reviewer_id, closed_at)
            if change is not None:
                await cases.save_change(conn, case, change)
