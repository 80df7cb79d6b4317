"""Deadlines on the mainland China calendar of 2026 (National Day 1-7 Oct off, Saturday
10 Oct worked), with the service's clock frozen: a reviewer (or every admin, when
nobody claimed the case) is reminded two working days before a case is due, once;
certification's overdue notice reaches them; a learner is warned once of credits
that expire within 30 days."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from cbkit import wire
from cbkit.auth import Role
from cbkit.calendar import WorkingCalendar
from cbkit.jobs import run_once
from cbkit.testing import gql, new_id
from services.notifications.domain import deadlines
from services.notifications.domain.deadlines import CaseState, CaseStep, CreditState, ReviewCase
from services.notifications.service_layer.deadlines import JOB
from services.notifications.tests.conftest import (
    CERTIFICATION,
    CONVERSION,
    INBOX,
    OUTCOMES,
    Bus,
    messages,
    sent,
)

CHINA = WorkingCalendar("CN", 15, ZoneInfo("Asia/Shanghai"))
ACCOUNTS = "/services/accounts"
ZH = {"Accept-Language": "zh-CN"}


def beijing(day: str, hour: int = 10) -> datetime:
    """`hour` o'clock Beijing time on `day`, as a UTC instant."""
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00+08:00").astimezone(UTC)


# the rules, no I/O


@pytest.mark.parametrize(
    ("due_on", "remind_on", "why"),
    [
        (date(2026, 10, 9), date(2026, 9, 30), "after National Day: its eve, not 7 Oct"),
        (date(2026, 10, 12), date(2026, 10, 9), "a Monday after the make-up Saturday 10 Oct"),
        (date(2026, 10, 23), date(2026, 10, 21), "an ordinary Friday"),
        (date(2026, 3, 16), date(2026, 3, 12), "a Monday: the Thursday before"),
    ],
)
def test_the_reminder_day_is_two_working_days_before_the_due_day(due_on, remind_on, why):
    assert deadlines.remind_on(due_on, CHINA) == remind_on, why
    assert CHINA.working_days_left(remind_on, due_on) == 2
    assert CHINA.working_days_left(remind_on - timedelta(days=1), due_on) > 2


def test_a_case_is_due_on_the_day_certification_counts():
    submitted_at = beijing("2026-09-11", 23)  # Friday, late in the evening in Beijing
    assert deadlines.due_on_submission(submitted_at, CHINA) == CHINA.due_on(date(2026, 9, 11))
    assert deadlines.due_on_submission(submitted_at, CHINA) == date(2026, 10, 9)


def _step(sequence: int | None, state: CaseState, due_on: date | None = None) -> CaseStep:
    return CaseStep("o", "l", "c", sequence, state, "r", due_on)


def test_a_late_older_step_changes_nothing_and_a_step_s_due_day_wins():
    case = ReviewCase("o", "l", CaseState.WAITING, due_on=date(2026, 10, 9), sequence=3)
    assert deadlines.stepped(case, _step(2, CaseState.WAITING), CHINA) is None
    paused = deadlines.stepped(case, _step(4, CaseState.PAUSED, date(2026, 10, 12)), CHINA)
    assert paused is not None
    assert (paused.state, paused.due_on, paused.remind_on) == (
        CaseState.PAUSED,
        date(2026, 10, 12),
        date(2026, 10, 9),
    )
    again = deadlines.resubmitted(paused, date(2026, 11, 2), CHINA)
    assert again is not None
    assert (again.state, again.reviewer_id, again.sequence) == (CaseState.WAITING, None, 5)
    assert deadlines.resubmitted(again, date(2026, 11, 3), CHINA) is None


def test_reversed_credits_are_active_again_revoked_and_expired_stay_so():
    assert deadlines.moves_to(CreditState.ACTIVE) == (CreditState.REDEEMED,)
    assert CreditState.REVOKED not in deadlines.moves_to(CreditState.ACTIVE)
    assert deadlines.warn_until(date(2026, 9, 30)) == date(2026, 10, 30)


# the service


async def run_job(client: httpx.AsyncClient, ran: bool | None = True) -> None:
    """Run the deadlines job as a replica would; `ran` None: it may find the lock held
    (another replica runs it)."""
    runtime = client.runtime  # type: ignore[attr-defined]
    [job] = [j for j in runtime.spec.jobs(runtime.deps) if j.name == JOB]
    result = await run_once(runtime.pool, job)
    assert ran is None or result is ran


async def opened(client: httpx.AsyncClient, bus: Bus, role: Role) -> str:
    account_id = new_id()
    await sent(client, bus, await bus.opened(account_id, role, f"{role.value} {account_id[:4]}"))
    return account_id


async def submit(
    client: httpx.AsyncClient, bus: Bus, learner_id: str, at: datetime, title: str = "Welding"
) -> str:
    outcome_id = new_id()
    data = {
        "outcomeId": outcome_id,
        "learnerId": learner_id,
        "kind": "OTHER",
        "title": title,
        "submittedAt": wire.instant(at),
    }
    await sent(client, bus, await bus.publish(OUTCOMES, "outcome.submitted", learner_id, data))
    return outcome_id


async def certification(
    client: httpx.AsyncClient,
    bus: Bus,
    routing_key: str,
    outcome_id: str,
    learner_id: str,
    **more: Any,
) -> dict[str, Any]:
    data = {"caseId": new_id(), "outcomeId": outcome_id, "learnerId": learner_id} | more
    await sent(client, bus, await bus.publish(CERTIFICATION, routing_key, learner_id, data))
    return data


async def learner_step(
    client: httpx.AsyncClient,
    bus: Bus,
    routing_key: str,
    outcome_id: str,
    learner_id: str,
    **at: str,
) -> None:
    """outcome.resubmitted or outcome.withdrawn, `at` its instant."""
    data = {"outcomeId": outcome_id, "learnerId": learner_id} | at
    await sent(client, bus, await bus.publish(OUTCOMES, routing_key, learner_id, data))


async def about(
    client: httpx.AsyncClient, stack: Any, account_id: str, role: Role, about_id: str
) -> list[dict[str, Any]]:
    """The account's messages about `about_id`, as the account reads them."""
    token = stack.token(account_id, role)
    found = await messages(client, account_id, token, first=100)
    return [m for m in found if m["about"]["id"] == about_id]


async def test_an_unclaimed_case_before_national_day_is_reminded_to_every_admin_on_its_eve_once(
    notifications, bus, stack, clock
):
    admins = [await opened(notifications, bus, Role.ADMIN) for _ in range(2)]
    learner = await opened(notifications, bus, Role.LEARNER)
    outcome = await submit(notifications, bus, learner, beijing("2026-09-11"), "Welding level 3")

    clock.frozen_at = beijing("2026-09-29", 9)  # three working days left
    await run_job(notifications)
    assert [await about(notifications, stack, a, Role.ADMIN, outcome) for a in admins] == [[], []]

    clock.frozen_at = beijing("2026-09-30", 0)  # the first hour of the reminder day
    await asyncio.gather(run_job(notifications, ran=None), run_job(notifications, ran=None))
    for admin in admins:
        [message] = await about(notifications, stack, admin, Role.ADMIN, outcome)
        assert message["kind"] == "CASE_DUE_SOON"
        assert message["about"] == {"type": "CASE", "id": outcome}
        assert message["title"] == "A case is due soon"
        assert message["body"] == (
            "A certification case is due on 2026-10-09; working days left: 2."
            " Result: “Welding level 3”. No reviewer has claimed it."
        )

    # later runs, on the holidays and two calendar days before the due day, add none
    for day in ("2026-09-30", "2026-10-07", "2026-10-08"):
        clock.frozen_at = beijing(day)
        await run_job(notifications)
    for admin in admins:
        assert len(await about(notifications, stack, admin, Role.ADMIN, outcome)) == 1


async def test_a_claimed_case_is_reminded_to_its_reviewer_only_and_afresh_when_resubmitted(
    notifications, bus, stack, clock
):
    admin = await opened(notifications, bus, Role.ADMIN)
    reviewer = await opened(notifications, bus, Role.REVIEWER)
    learner = await opened(notifications, bus, Role.LEARNER)
    outcome = await submit(notifications, bus, learner, beijing("2026-09-28"))  # due 23 Oct
    claim = {"reviewerId": reviewer, "sequence": 2, "at": wire.instant(beijing("2026-09-29"))}
    await certification(notifications, bus, "certification.claimed", outcome, learner, **claim)

    clock.frozen_at = beijing("2026-10-21")
    await run_job(notifications)
    [message] = await about(notifications, stack, reviewer, Role.REVIEWER, outcome)
    assert message["kind"] == "CASE_DUE_SOON"
    assert "2026-10-23" in message["body"]
    assert "claimed" not in message["body"]
    assert await about(notifications, stack, admin, Role.ADMIN, outcome) == []

    # asked for more, the learner answers on 26 Oct: due again 15 working days later
    await certification(
        notifications,
        bus,
        "certification.info_requested",
        outcome,
        learner,
        reviewerId=reviewer,
        dueOn="2026-10-23",
        sequence=3,
    )
    at = wire.instant(beijing("2026-10-26"))
    await learner_step(
        notifications, bus, "outcome.resubmitted", outcome, learner, resubmittedAt=at
    )
    assert CHINA.due_on(date(2026, 10, 26)) == date(2026, 11, 16)
    clock.frozen_at = beijing("2026-11-11")
    await run_job(notifications)
    assert await about(notifications, stack, admin, Role.ADMIN, outcome) == []
    clock.frozen_at = beijing("2026-11-12")
    await run_job(notifications)
    [again] = await about(notifications, stack, admin, Role.ADMIN, outcome)
    assert "2026-11-16" in again["body"]
    assert len(await about(notifications, stack, reviewer, Role.REVIEWER, outcome)) == 1


async def test_a_case_claimed_after_the_admins_were_reminded_reminds_its_reviewer_too(
    notifications, bus, stack, clock
):
    admin = await opened(notifications, bus, Role.ADMIN)
    reviewer = await opened(notifications, bus, Role.REVIEWER)
    learner = await opened(notifications, bus, Role.LEARNER)
    outcome = await submit(notifications, bus, learner, beijing("2026-09-28"))  # due 23 Oct
    clock.frozen_at = beijing("2026-10-21")
    await run_job(notifications)
    [told] = await about(notifications, stack, admin, Role.ADMIN, outcome)
    assert "No reviewer has claimed it." in told["body"]

    # she claims it on the reminder day: the next run reminds her, the admins not again
    claim = {"reviewerId": reviewer, "sequence": 2, "at": wire.instant(beijing("2026-10-21"))}
    await certification(notifications, bus, "certification.claimed", outcome, learner, **claim)
    clock.frozen_at = beijing("2026-10-21", 11)
    await run_job(notifications)
    [message] = await about(notifications, stack, reviewer, Role.REVIEWER, outcome)
    assert message["kind"] == "CASE_DUE_SOON"
    assert message["body"] == (
        "A certification case is due on 2026-10-23; working days left: 2. Result: “Welding”."
    )
    await run_job(notifications)
    assert len(await about(notifications, stack, reviewer, Role.REVIEWER, outcome)) == 1
    assert len(await about(notifications, stack, admin, Role.ADMIN, outcome)) == 1


async def test_a_decided_or_withdrawn_case_is_not_reminded(notifications, bus, stack, clock):
    admin = await opened(notifications, bus, Role.ADMIN)
    learner = await opened(notifications, bus, Role.LEARNER)
    decided = await submit(notifications, bus, learner, beijing("2026-09-28"))
    withdrawn = await submit(notifications, bus, learner, beijing("2026-09-28"))
    await certification(
        notifications,
        bus,
        "certification.approved",
        decided,
        learner,
        reviewerId=new_id(),
        dueOn="2026-10-23",
        sequence=3,
    )
    at = wire.instant(beijing("2026-10-01"))
    await learner_step(notifications, bus, "outcome.withdrawn", withdrawn, learner, withdrawnAt=at)

    clock.frozen_at = beijing("2026-10-21")
    await run_job(notifications)
    assert await about(notifications, stack, admin, Role.ADMIN, decided) == []
    assert await about(notifications, stack, admin, Role.ADMIN, withdrawn) == []


async def test_an_overdue_case_is_told_to_its_reviewer_or_to_every_admin(notifications, bus, stack):
    admins = [await opened(notifications, bus, Role.ADMIN) for _ in range(2)]
    reviewer = await opened(notifications, bus, Role.REVIEWER)
    learner = await opened(notifications, bus, Role.LEARNER)
    held = await submit(notifications, bus, learner, beijing("2026-09-09"), "Held")
    unclaimed = await submit(notifications, bus, learner, beijing("2026-09-09"), "Nobody's")
    overdue = {"dueOn": "2026-09-30"}
    event = await certification(
        notifications, bus, "certification.overdue", held, learner, reviewerId=reviewer, **overdue
    )
    await certification(
        notifications, bus, "certification.overdue", unclaimed, learner, reviewerId=None, **overdue
    )

    [message] = await about(notifications, stack, reviewer, Role.REVIEWER, held)
    assert message["kind"] == "CASE_OVERDUE"
    assert message["title"] == "A case is overdue"
    assert message["body"] == (
        "A certification case was due on 2026-09-30 and is not decided yet. Result: “Held”."
    )
    assert message["about"] == {"type": "CASE", "id": held}
    assert event["caseId"]
    for admin in admins:
        assert await about(notifications, stack, admin, Role.ADMIN, held) == []
        [notice] = await about(notifications, stack, admin, Role.ADMIN, unclaimed)
        assert notice["kind"] == "CASE_OVERDUE"
        assert notice["body"].endswith("No reviewer has claimed it.")
    token = stack.token(reviewer, Role.REVIEWER)
    answer = await gql(notifications, INBOX, {"id": reviewer, "first": 100}, token, headers=ZH)
    found = answer["data"]["_entities"][0]["notifications"]["edges"]
    [zh] = [e["node"] for e in found if e["node"]["about"]["id"] == held]
    assert (zh["title"], zh["body"]) == (
        "审核已逾期",
        "一个认证案件已于 2026-09-30 到期，尚未决定。学习成果：“Held”。",
    )


async def converted(
    client: httpx.AsyncClient, bus: Bus, learner_id: str, expires_on: date | None
) -> str:
    event = await bus.converted(
        learner_id, credits="3.5", courseCode="ED205", expiresOn=wire.optional_day(expires_on)
    )
    await sent(client, bus, event)
    return str(event.data["conversionId"])


async def credit_event(
    client: httpx.AsyncClient, bus: Bus, routing_key: str, learner_id: str, conversion_id: str
) -> None:
    data = {
        "conversionId": conversion_id,
        "learnerId": learner_id,
        "redemptionId": new_id(),
        "courseCode": "ED205",
        "credits": "3.5",
    }
    source = CONVERSION if routing_key == "credits.revoked" else ACCOUNTS
    await sent(client, bus, await bus.publish(source, routing_key, learner_id, data))


async def test_a_learner_is_told_once_of_credits_expiring_within_30_days(
    notifications, bus, stack, clock
):
    learner = await opened(notifications, bus, Role.LEARNER)
    today = date(2026, 9, 30)
    in_30 = await converted(notifications, bus, learner, today + timedelta(days=30))
    in_31 = await converted(notifications, bus, learner, today + timedelta(days=31))
    never = await converted(notifications, bus, learner, None)
    redeemed = await converted(notifications, bus, learner, today + timedelta(days=10))
    reversed_ = await converted(notifications, bus, learner, today + timedelta(days=10))
    revoked = await converted(notifications, bus, learner, today + timedelta(days=10))
    await credit_event(notifications, bus, "credits.redeemed", learner, redeemed)
    await credit_event(notifications, bus, "credits.redeemed", learner, reversed_)
    await credit_event(notifications, bus, "credits.redemption_reversed", learner, reversed_)
    await credit_event(notifications, bus, "credits.revoked", learner, revoked)

    clock.frozen_at = beijing("2026-09-30")
    await run_job(notifications)
    await run_job(notifications)

    async def told(conversion_id: str) -> list[dict[str, Any]]:
        found = await about(notifications, stack, learner, Role.LEARNER, conversion_id)
        return [m for m in found if m["kind"] == "CREDITS_EXPIRING"]

    [message] = await told(in_30)
    assert message["title"] == "Credits expiring soon"
    assert message["body"] == "3.5 credits for course ED205 expire on 2026-10-30."
    assert message["about"] == {"type": "CONVERSION", "id": in_30}
    assert len(await told(reversed_)) == 1
    for quiet in (in_31, never, redeemed, revoked):
        assert await told(quiet) == []

    clock.frozen_at = beijing("2026-10-01")
    await run_job(notifications)
    assert len(await told(in_30)) == 1
    assert len(await told(in_31)) == 1


async def test_a_closed_learner_s_cases_and_credits_are_forgotten(notifications, bus, stack, clock):
    admin = await opened(notifications, bus, Role.ADMIN)
    learner = await opened(notifications, bus, Role.LEARNER)
    outcome = await submit(notifications, bus, learner, beijing("2026-09-28"))
    late = await submit(notifications, bus, learner, beijing("2026-09-09"), "Her own title")
    overdue = {"reviewerId": None, "dueOn": "2026-09-30"}
    await certification(notifications, bus, "certification.overdue", late, learner, **overdue)
    [notice] = await about(notifications, stack, admin, Role.ADMIN, late)
    assert "Her own title" in notice["body"]
    await converted(notifications, bus, learner, date(2026, 10, 20))
    await sent(notifications, bus, await bus.closed(learner))

    # the admin's notice stays, without her result's title
    [notice] = await about(notifications, stack, admin, Role.ADMIN, late)
    assert notice["body"] == (
        "A certification case was due on 2026-09-30 and is not decided yet."
        " No reviewer has claimed it."
    )

    async def rows(table: str) -> int:
        pool = notifications.runtime.pool
        async with pool.acquire() as conn:
            query = f"SELECT count(*) FROM {table} WHERE learner_id = $1"
            return int(await conn.fetchval(query, learner))

    assert (await rows("review_cases"), await rows("credit_expiries")) == (0, 0)
    clock.frozen_at = beijing("2026-10-21")
    await run_job(notifications)
    assert await about(notifications, stack, admin, Role.ADMIN, outcome) == []
    # a late event about her follows nothing again
    await submit(notifications, bus, learner, beijing("2026-09-29"))
    assert await rows("review_cases") == 0


async def test_a_closed_reviewer_s_cases_are_reminded_to_the_admins(
    notifications, bus, stack, clock
):
    admin = await opened(notifications, bus, Role.ADMIN)
    reviewer = await opened(notifications, bus, Role.REVIEWER)
    learner = await opened(notifications, bus, Role.LEARNER)
    outcome = await submit(notifications, bus, learner, beijing("2026-09-28"))
    await certification(
        notifications,
        bus,
        "certification.claimed",
        outcome,
        learner,
        reviewerId=reviewer,
        sequence=2,
    )
    await sent(notifications, bus, await bus.closed(reviewer, Role.REVIEWER))

    clock.frozen_at = beijing("2026-10-21")
    await run_job(notifications)
    [message] = await about(notifications, stack, admin, Role.ADMIN, outcome)
    assert message["kind"] == "CASE_DUE_SOON"
