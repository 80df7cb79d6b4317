"""What the outcome events do to cases: open one, reopen it when the learner
answers a request for information, close it when they withdraw. Each is safe to
run twice or out of order."""

from __future__ import annotations

from datetime import datetime

from cbkit.db import Connection, lock
from services.certification import domain
from services.certification.domain import Calendar, SubmittedOutcome
from services.certification.repository import cases


async def open_case(conn: Connection, outcome: SubmittedOutcome, calendar: Calendar) -> bool:
    """False when the outcome already has a case or was withdrawn first, or its
    learner closed their account."""
    case = domain.open_case(outcome, calendar)
    async with conn.transaction():
        # never beside the closure of the learner's account (service_layer/closures.py)
        await lock(conn, f"learner:{outcome.learner_id}")
        return await cases.insert_case(conn, case, outcome.submitted_at)


async def resubmit(
    conn: Connection, outcome_id: str, at: datetime, note: str | None, calendar: Calendar
) -> None:
    case = await cases.case_for_outcome_update(conn, outcome_id)
    change = domain.resubmit(case, at, note, calendar) if case else None
    if case and change:
        await cases.save_change(conn, case, change)


async def withdraw(conn: Connection, outcome_id: str, at: datetime) -> None:
    """Remembered even before the case opens, so a late submission opens none."""
    await cases.remember_withdrawal(conn, outcome_id, at)
    case = await cases.case_for_outcome_update(conn, outcome_id)
    change = domain.withdraw(case, at) if case else None
    if case and change:
        await cases.save_change(conn, case, change)
