"""certification's figures on the entity Stats (key "bank"), for admins only: the
decisions of each month in Beijing time, on time or late against the 15-working-day
due day, and the cases open and overdue (a service of its own, so numbers are exact)."""

from datetime import UTC, datetime

import pytest

from cbkit.auth import Role
from cbkit.testing import error_code, gql, new_id
from services.certification.tests.conftest import claimed, decide, isolated, open_case, submitted

certification, bus = isolated("figures")

STATS = """query($id: ID!) { _entities(representations: [{__typename: "Stats", id: $id}]) {
  ... on Stats { id decisionsByMonth { month decided onTime late } openCases overdueCases } } }"""


def beijing(day: str, time: str = "10:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{time}:00+08:00").astimezone(UTC)


async def decided_at(certification, bus, clock, token, submitted_on, at, decision):
    """A case submitted on `submitted_on` (Beijing), claimed and decided at `at`."""
    data = submitted(submitted_at=beijing(submitted_on), credential_code=None)
    clock.frozen_at = at
    case = await claimed(certification, bus, data, token)
    reason = None if decision == "APPROVE" else "not enough evidence"
    answer = await decide(certification, case["id"], token, decision, reason)
    assert "errors" not in answer, answer
    return case


async def stats(certification, token, id="bank"):
    return await gql(certification, STATS, {"id": id}, token)


async def test_decisions_by_month_on_time_and_late_and_the_open_cases(
    certification, bus, stack, clock
):
    token = stack.token(new_id(), Role.REVIEWER)
    admin = stack.token(new_id(), Role.ADMIN)
    assert (await stats(certification, admin))["data"]["_entities"] == [
        {"id": "bank", "decisionsByMonth": [], "openCases": 0, "overdueCases": 0}
    ]

    async def decided(submitted_on, at, decision):
        return await decided_at(certification, bus, clock, token, submitted_on, at, decision)

    # due 26 Feb: decided on 20 Feb (on time, February), on 2 March (late, March)
    await decided("2027-02-01", beijing("2027-02-20"), "APPROVE")
    await decided("2027-02-01", beijing("2027-03-02"), "APPROVE")
    # due 31 March: at 23:30 that day in Beijing (on time, March); at 00:30 the next
    # day in Beijing, still 31 March in UTC (late, April)
    case = await decided("2027-03-10", beijing("2027-03-31", "23:30"), "APPROVE")
    assert case["dueOn"] == "2027-03-31"
    await decided("2027-03-10", beijing("2027-04-01", "00:30"), "REJECT")
    # due 1 April, asked for more on the day (on time, April): a decision too
    case = await decided("2027-03-11", beijing("2027-04-01"), "REQUEST_INFO")
    assert case["dueOn"] == "2027-04-01"

    # open: due 29 March (overdue on 1 April), due 1 April (in review), due later
    await open_case(certification, bus, submitted(submitted_at=beijing("2027-03-08")))
    await claimed(certification, bus, submitted(submitted_at=beijing("2027-03-11")), token)
    await open_case(certification, bus, submitted(submitted_at=beijing("2027-03-31")))

    clock.frozen_at = beijing("2027-04-01", "12:00")
    answer = await stats(certification, admin)
    assert answer["data"]["_entities"] == [
        {
            "id": "bank",
            "decisionsByMonth": [
                {"month": "2027-02", "decided": 1, "onTime": 1, "late": 0},
                {"month": "2027-03", "decided": 2, "onTime": 1, "late": 1},
                {"month": "2027-04", "decided": 2, "onTime": 1, "late": 1},
            ],
            "openCases": 3,
            "overdueCases": 1,
        }
    ]
    clock.frozen_at = beijing("2027-04-02", "12:00")  # now the one due 1 April is overdue too
    later = await stats(certification, admin)
    assert later["data"]["_entities"][0]["overdueCases"] == 2


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (None, "UNAUTHENTICATED"),
        (Role.LEARNER, "FORBIDDEN"),
        (Role.REVIEWER, "FORBIDDEN"),
        (Role.INSTITUTION, "FORBIDDEN"),
    ],
)
async def test_only_admins_read_the_figures(certification, stack, role, code):
    token = stack.token(new_id(), role) if role else None
    answer = await stats(certification, token)
    assert answer["data"]["_entities"] == [None]
    assert error_code(answer)[0] == code


async def test_the_figures_have_one_key(certification, stack):
    answer = await stats(certification, stack.token(new_id(), Role.ADMIN), id="elsewhere")
    assert answer["data"]["_entities"] == [None]
    assert error_code(answer) == ("NOT_FOUND", "id")
