"""A queue of 50,000 cases paged to the end, 100 at a time, while new cases arrive
between the pages: every case there at the start is seen exactly once, none twice,
in order (a service of its own, so the count is exact)."""

import random
import uuid
from datetime import UTC, date, datetime, timedelta

from cbkit.auth import Role
from cbkit.testing import gql, handled, new_id
from services.certification.tests.conftest import isolated, submitted

certification, bus = isolated("paging")

CASES = 50_000
DECIDED = 2_000  # not in the default queue
FIRST_DUE = date(2027, 3, 1)
COLUMNS = [
    "id", "outcome_id", "learner_id", "kind", "title", "credential_code", "achieved_on",
    "hours", "status", "reviewer_id", "submitted_on", "due_on", "decided_at", "sequence",
]  # fmt: skip
# lean, so that the 500 pages take seconds: the paging, not the fields, is under test
PAGE = """query($after: String) { reviewQueueConnection(first: 100, after: $after) {
  nodes { id dueOn } pageInfo { hasNextPage endCursor } totalCount } }"""
KINDS = ["QUALIFICATION_CERTIFICATE", "ONLINE_COURSE", "WORK_EXPERIENCE", "VOCATIONAL_TRAINING"]


def case_row(rng: random.Random, due_on: date, status: str = "PENDING") -> tuple:
    reviewers = [uuid.UUID(int=n + 1) for n in range(20)]
    reviewer = rng.choice(reviewers) if status != "PENDING" else None
    decided_at = datetime(2027, 2, 1, tzinfo=UTC) if status == "APPROVED" else None
    return (
        uuid.uuid4(),
        uuid.uuid4(),
        uuid.UUID(int=rng.randrange(1, 5_000) << 64),
        rng.choice(KINDS),
        "bulk",
        None,
        date(2026, 1, 1),
        40,
        status,
        reviewer,
        due_on - timedelta(days=21),
        due_on,
        decided_at,
        2 if status != "PENDING" else 1,
    )


async def insert(conn, rows: list[tuple]) -> None:
    await conn.copy_records_to_table("cases", records=rows, columns=COLUMNS)


PLACES = ", ".join(f"${n + 1}" for n in range(len(COLUMNS)))
ARRIVE = f"INSERT INTO cases ({', '.join(COLUMNS)}) VALUES ({PLACES})"


async def test_fifty_thousand_cases_page_to_the_end_while_new_ones_arrive(
    certification, bus, stack
):
    rng = random.Random(14)
    # due days over 60 days: about 830 cases share each day, so the id breaks ties
    rows = [
        case_row(rng, FIRST_DUE + timedelta(days=n % 60), "IN_REVIEW" if n % 5 == 0 else "PENDING")
        for n in range(CASES)
    ]
    rows += [case_row(rng, FIRST_DUE + timedelta(days=n % 60), "APPROVED") for n in range(DECIDED)]
    present = {str(row[0]) for row in rows[:CASES]}
    rows.sort(key=lambda row: (row[11], row[0]))  # in index order: a faster COPY
    pool = certification.runtime.pool
    async with pool.acquire() as conn:
        await conn.execute("SET synchronous_commit = off")
        await insert(conn, rows)
        await conn.execute("ANALYZE cases")
    admin = stack.token(new_id(), Role.ADMIN)

    seen: list[tuple[str, str]] = []
    later_arrivals: set[str] = set()
    after = None
    pages = 0
    arrive = await pool.acquire()
    await arrive.execute("SET synchronous_commit = off")
    while True:
        answer = await gql(certification, PAGE, {"after": after}, admin)
        assert "errors" not in answer, answer
        found = answer["data"]["reviewQueueConnection"]
        if pages == 0:
            assert found["totalCount"] == CASES
        seen += [(node["dueOn"], node["id"]) for node in found["nodes"]]
        pages += 1
        if not found["pageInfo"]["hasNextPage"]:
            break
        after = found["pageInfo"]["endCursor"]
        # new cases between pages: one due before where we stand, one after it
        position = date.fromisoformat(seen[-1][0])
        arrivals = [
            case_row(rng, max(FIRST_DUE, position - timedelta(days=rng.randrange(0, 5)))),
            case_row(rng, position + timedelta(days=rng.randrange(1, 70))),
        ]
        await arrive.executemany(ARRIVE, arrivals)
        later_arrivals.add(str(arrivals[1][0]))
        if pages % 100 == 0:  # and now and then one the way outcomes sends it
            await handled(certification, await bus.send("outcome.submitted", submitted()))

    await pool.release(arrive)

    ids = [case_id for _, case_id in seen]
    assert len(ids) == len(set(ids)), "a case was seen twice"
    assert present <= set(ids), f"{len(present - set(ids))} cases present at the start missed"
    assert later_arrivals <= set(ids), "a case arriving ahead of the cursor was missed"
    assert seen == sorted(seen), "the queue left its order (due day, then id)"
    assert pages >= CASES // 100
