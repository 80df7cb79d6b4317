"""Deadlines: the review cases followed from the outcome and certification events,
reminders two working days before a case is due and notices once it is overdue (to
the reviewer who claimed it, else every admin), and learners warned once of credits
that expire within 30 days. Messages go through the inbox (`inbox.tell`), so the
e-mail preferences apply; each is made under one id, so nothing is told twice."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from cbkit.auth import Role
from cbkit.db import Connection, lock
from cbkit.jobs import PeriodicJob
from services.notifications.domain import About, AboutType, Kind
from services.notifications.domain import deadlines as domain
from services.notifications.domain.deadlines import CaseStep, Conversion, CreditState, ReviewCase
from services.notifications.repository import accounts, cases, expiry
from services.notifications.service_layer import inbox
from services.notifications.service_layer.dependencies import Dependencies

JOB = "notifications-deadlines"
INTERVAL_SECONDS = 3600.0
"""The job runs at start and then every hour (CB_JOB_NOTIFICATIONS_DEADLINES_SECONDS):
a day's reminders go out within the hour the day begins, each once."""

BATCH = 500
"""How many reminders or warnings one run of the job sends at most (the next run
sends the rest)."""


async def _case(conn: Connection, outcome_id: str) -> ReviewCase | None:
    await lock(conn, f"notifications:case:{outcome_id}")
    return await cases.for_update(conn, outcome_id)


async def open_case(
    conn: Connection, deps: Dependencies, outcome_id: str, learner_id: str, submitted_at: datetime
) -> None:
    """outcome.submitted: a case waits on a reviewer, due on the calendar's due day."""
    if await accounts.is_closed(conn, learner_id):
        return
    due_on = domain.due_on_submission(submitted_at, deps.calendar)
    found = await _case(conn, outcome_id)
    case = domain.opened(found, outcome_id, learner_id, due_on, deps.calendar)
    if case != found:
        await cases.save(conn, case)


async def step(conn: Connection, deps: Dependencies, taken: CaseStep) -> None:
    """A step certification took (claimed, decided): who holds the case, whether its
    deadline runs, its due day."""
    if await accounts.is_closed(conn, taken.learner_id):
        return
    case = domain.stepped(await _case(conn, taken.outcome_id), taken, deps.calendar)
    if case is not None:
        await cases.save(conn, case)


async def resubmit(conn: Connection, deps: Dependencies, outcome_id: str, at: datetime) -> None:
    """outcome.resubmitted: a paused case waits on a reviewer again, freshly due."""
    due_on = domain.due_on_submission(at, deps.calendar)
    case = domain.resubmitted(await _case(conn, outcome_id), due_on, deps.calendar)
    if case is not None:
        await cases.save(conn, case)


async def withdraw(conn: Connection, outcome_id: str) -> None:
    case = domain.withdrawn(await _case(conn, outcome_id))
    if case is not None:
        await cases.save(conn, case)


async def _case_params(
    conn: Connection, outcome_id: str, case_id: str | None, due_on: date, reviewer_id: str | None
) -> dict[str, Any]:
    """What a reviewer's message names: the due day, the result's title when it was
    heard, the case's id when known, and that nobody holds it."""
    title = await accounts.outcome_title(conn, outcome_id)
    found = {"dueOn": due_on.isoformat(), "result": title, "caseId": case_id}
    params = {name: value for name, value in found.items() if value is not None}
    return params | ({} if reviewer_id else {"unclaimed": "true"})


async def _tell_reviewers(
    conn: Connection,
    deps: Dependencies,
    message_id: str,
    reviewer_id: str | None,
    kind: Kind,
    outcome_id: str,
    params: dict[str, Any],
) -> int:
    """Tell the reviewer, or every admin when nobody claimed the case; how many were told.
    A case is reached by its result's id (as the reviewer's portal addresses it)."""
    admins = [] if reviewer_id else await accounts.open_of_role(conn, Role.ADMIN)
    about = About(AboutType.CASE, outcome_id)
    told = 0
    for account_id in domain.recipients(reviewer_id, admins):
        if await inbox.tell(conn, deps, message_id, account_id, kind, about, params):
            told += 1
    return told


async def tell_overdue(
    conn: Connection,
    deps: Dependencies,
    event_id: str,
    outcome_id: str,
    case_id: str,
    reviewer_id: str | None,
    due_on: date,
) -> int:
    """certification.overdue: a notice to the reviewer who holds the case, or to every
    admin when nobody does."""
    params = await _case_params(conn, outcome_id, case_id, due_on, reviewer_id)
    return await _tell_reviewers(
        conn, deps, event_id, reviewer_id, Kind.CASE_OVERDUE, outcome_id, params
    )


async def remind(conn: Connection, deps: Dependencies) -> int:
    """The job: remind of each waiting case whose due day is two working days away
    (or nearer, when a run was missed), once per case and due day; how many cases."""
    today = deps.clock.today()
    due = await cases.to_remind(conn, today, BATCH)
    for case in due:
        assert case.due_on is not None
        params = await _case_params(
            conn, case.outcome_id, case.case_id, case.due_on, case.reviewer_id
        )
        params["daysLeft"] = str(deps.calendar.working_days_left(today, case.due_on))
        await _tell_reviewers(
            conn,
            deps,
            domain.reminder_id(case),
            case.reviewer_id,
            Kind.CASE_DUE_SOON,
            case.outcome_id,
            params,
        )
        await cases.mark_reminded(conn, case)
    return len(due)


async def forget_account(conn: Connection, account_id: str, role: Role) -> None:
    """account.closed: a learner's cases and conversions are forgotten; a reviewer's
    cases wait unclaimed again (their reminders go to the admins)."""
    if role is Role.LEARNER:
        await cases.forget_learner(conn, account_id)
        await expiry.forget_learner(conn, account_id)
    elif role is Role.REVIEWER:
        await cases.release(conn, account_id)


async def hear_conversion(conn: Connection, conversion: Conversion) -> None:
    """credits.converted: the credits are followed until they expire."""
    if not await accounts.is_closed(conn, conversion.learner_id):
        await expiry.converted(conn, conversion)


async def credits_changed(
    conn: Connection, conversion_id: str, learner_id: str, state: CreditState
) -> None:
    """Redeemed, revoked or expired: nothing to warn of; a reversed redemption makes
    the credits ACTIVE again."""
    if not await accounts.is_closed(conn, learner_id):
        await expiry.change(conn, conversion_id, learner_id, state, domain.moves_to(state))


async def warn_expiring(conn: Connection, deps: Dependencies) -> int:
    """The job: tell each learner, once per conversion, of ACTIVE credits that expire
    within 30 days; how many were warned of."""
    today = deps.clock.today()
    due = await expiry.to_warn(conn, today, domain.warn_until(today), BATCH)
    for conversion in due:
        about = About(AboutType.CONVERSION, conversion.id)
        await inbox.tell(
            conn,
            deps,
            domain.warning_id(conversion),
            conversion.learner_id,
            Kind.CREDITS_EXPIRING,
            about,
            conversion.params(),
        )
        await expiry.mark_warned(conn, conversion.id, deps.clock.now())
    return len(due)


async def run_daily(conn: Connection, deps: Dependencies) -> tuple[int, int]:
    """The deadlines job: reminders of cases, then warnings of expiring credits."""
    return await remind(conn, deps), await warn_expiring(conn, deps)


def jobs(deps: Dependencies) -> list[PeriodicJob]:
    """The deadlines job, one replica at a time under its advisory lock."""

    async def run(conn: Connection) -> None:
        await run_daily(conn, deps)

    return [PeriodicJob(JOB, INTERVAL_SECONDS, run)]
