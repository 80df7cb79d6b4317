"""Deadlines as reviewers see them on a given day (the service's clock is
frozen per test), the overdue job and the metrics."""

import re

from cbkit.auth import Role
from cbkit.jobs import run_once
from cbkit.testing import eventually, gql, new_id
from services.certification.service_layer import deadlines
from services.certification.tests.conftest import (
    QUEUE,
    beijing,
    claimed,
    current,
    decide,
    open_case,
    submitted,
)


async def test_no_working_day_is_left_on_the_due_date_and_the_case_is_overdue_the_next(
    certification, bus, clock
):
    data = submitted(submitted_at=beijing("2026-02-13"))
    case = await open_case(certification, bus, data)
    assert case["dueOn"] == "2026-03-12"

    seen = []
    for day in ("2026-02-13", "2026-03-11", "2026-03-12", "2026-03-13", "2026-03-16"):
        clock.frozen_at = beijing(day)
        now = await current(certification, data["outcomeId"], bus.learner(data))
        seen.append((day, now["workingDaysLeft"], now["overdue"]))
    assert seen == [
        ("2026-02-13", 15, False),
        ("2026-03-11", 1, False),
        ("2026-03-12", 0, False),
        ("2026-03-13", -1, True),
        ("2026-03-16", -2, True),
    ]


async def test_a_case_due_before_national_day_turns_overdue_only_after_it(
    certification, bus, clock
):
    data = submitted(submitted_at=beijing("2026-09-09"))
    case = await open_case(certification, bus, data)
    assert case["dueOn"] == "2026-09-30"
    clock.frozen_at = beijing("2026-10-07", 23)
    assert (await current(certification, data["outcomeId"], bus.learner(data)))["overdue"] is False
    clock.frozen_at = beijing("2026-10-08", 0)
    assert (await current(certification, data["outcomeId"], bus.learner(data)))["overdue"] is True


async def test_the_queue_lists_the_oldest_due_first_and_filters(certification, bus, stack, clock):
    token = stack.token(new_id(), Role.REVIEWER)
    later = await open_case(certification, bus, submitted(submitted_at=beijing("2026-09-30")))
    sooner = await open_case(certification, bus, submitted(submitted_at=beijing("2026-09-28")))
    in_review = await claimed(
        certification, bus, submitted(submitted_at=beijing("2026-09-29")), token
    )
    mine = {later["id"], sooner["id"], in_review["id"]}

    async def queue(**variables):
        result = await gql(certification, QUEUE, variables, token)
        return [c["id"] for c in result["data"]["reviewQueue"] if c["id"] in mine]

    clock.frozen_at = beijing("2026-10-27")  # due dates: 23, 26 and 27 Oct
    assert await queue() == [sooner["id"], in_review["id"], later["id"]]
    assert await queue(s="PENDING") == [sooner["id"], later["id"]]
    assert await queue(s="IN_REVIEW") == [in_review["id"]]
    assert await queue(s="APPROVED") == []
    assert await queue(o=True) == [sooner["id"], in_review["id"]]
    assert await queue(s="PENDING", o=True) == [sooner["id"]]
    assert await queue(s="NEEDS_INFO", o=True) == []
    clock.frozen_at = beijing("2026-10-23")
    assert await queue(o=True) == []


async def test_the_job_announces_each_overdue_case_once(certification, bus, clock):
    overdue = await open_case(certification, bus, submitted(submitted_at=beijing("2026-09-09")))
    due_today = await open_case(certification, bus, submitted(submitted_at=beijing("2026-09-10")))
    assert (overdue["dueOn"], due_today["dueOn"]) == ("2026-09-30", "2026-10-08")
    job = certification.runtime.spec.jobs(certification.runtime.deps)[0]
    pool = certification.runtime.pool
    clock.frozen_at = beijing("2026-10-08")
    assert await run_once(pool, job)
    assert await run_once(pool, job)

    async def heard() -> bool:
        return len(bus.about(overdue["id"], "certification.overdue")) == 1

    await eventually(heard)
    event = bus.about(overdue["id"], "certification.overdue")[0]
    assert event.data["dueOn"] == "2026-09-30"
    assert bus.about(due_today["id"], "certification.overdue") == []

    clock.frozen_at = beijing("2026-10-09")
    assert await run_once(pool, job)

    async def heard_second() -> bool:
        return len(bus.about(due_today["id"], "certification.overdue")) == 1

    await eventually(heard_second)
    assert len(bus.about(overdue["id"], "certification.overdue")) == 1


async def refresh_metrics(certification) -> None:
    async with certification.runtime.pool.acquire() as conn:
        await deadlines.refresh_metrics(conn, certification.runtime.deps)


def gauges(text: str) -> dict[str, float]:
    found = re.findall(r"^(certification_[a-z_]+(?:\{[^}]*\})?) ([0-9.e+-]+)$", text, re.M)
    return {name: float(value) for name, value in found}


async def test_metrics_count_open_and_overdue_cases_and_decisions_on_time(
    certification, bus, stack, clock
):
    token = stack.token(new_id(), Role.REVIEWER)
    clock.frozen_at = beijing("2026-03-13")
    await refresh_metrics(certification)
    before = gauges((await certification.get("/metrics")).text)

    late = await open_case(certification, bus, submitted(submitted_at=beijing("2026-02-13")))
    on_time = await claimed(
        certification, bus, submitted(submitted_at=beijing("2026-03-02")), token
    )
    decided_late = await claimed(
        certification, bus, submitted(submitted_at=beijing("2026-02-13")), token
    )
    await decide(certification, on_time["id"], token, "REJECT", "no")
    await decide(certification, decided_late["id"], token, "REJECT", "late")
    await refresh_metrics(certification)
    after = gauges((await certification.get("/metrics")).text)

    def delta(name: str) -> float:
        return after[name] - before.get(name, 0.0)

    assert late["dueOn"] == "2026-03-12"
    assert delta("certification_open_cases") == 1
    assert delta("certification_overdue_cases") == 1
    assert delta('certification_decisions{on_time="true"}') == 1
    assert delta('certification_decisions{on_time="false"}') == 1
    made = after['certification_decisions{on_time="true"}']
    made_late = after['certification_decisions{on_time="false"}']
    assert after["certification_decisions_on_time_ratio"] == made / (made + made_late)
