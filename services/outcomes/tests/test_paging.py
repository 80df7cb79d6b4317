"""Account.outcomesConnection: a learner's results newest first, a page at a time by
keyset, so a client paging to the end of 5,000 results sees each once while new ones
arrive; filters, cursors and access as for Account.outcomes."""

import uuid
from datetime import UTC, datetime

import httpx

from cbkit.auth import Role
from cbkit.paging import cursor
from cbkit.testing import error_code, gql, new_id
from services.outcomes.tests.conftest import add_result, learner

PAGE = """query($id: ID!, $first: Int, $after: String, $status: OutcomeStatus,
  $kind: OutcomeKind) { _entities(representations: [{__typename: "Account", id: $id}]) {
  ... on Account { outcomesConnection(first: $first, after: $after, status: $status,
    kind: $kind) { totalCount edges { cursor node { id status kind } }
    nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }"""
WITHOUT_COUNT = PAGE.replace("totalCount ", "")

KINDS = ["QUALIFICATION_CERTIFICATE", "ONLINE_COURSE", "WORK_EXPERIENCE"]
STATUSES = ["SUBMITTED", "CERTIFIED", "REJECTED", "NEEDS_INFO"]
BASE = datetime(2026, 6, 1, 8, tzinfo=UTC)


async def seed(client: httpx.AsyncClient, learner_id: str, n: int) -> list[str]:
    """`n` results of the learner straight into the table, three at a time sharing one
    instant (the id orders those); their ids, newest first as the list shows them."""
    async with client.runtime.pool.acquire() as conn:  # type: ignore[attr-defined]
        await conn.execute(
            "INSERT INTO outcomes (id, learner_id, kind, title, issuer, achieved_on, hours,"
            " status, submitted_at)"
            " SELECT gen_random_uuid(), $1, ($3::text[])[1 + i % 3], 'Result ' || i, 'Issuer',"
            " '2024-01-01', 10, ($4::text[])[1 + i % 4],"
            " $2::timestamptz + make_interval(secs => i / 3)"
            " FROM generate_series(0, $5 - 1) AS i",
            uuid.UUID(learner_id),
            BASE,
            KINDS,
            STATUSES,
            n,
        )
        rows = await conn.fetch(
            "SELECT id FROM outcomes WHERE learner_id = $1 ORDER BY submitted_at DESC, id DESC",
            uuid.UUID(learner_id),
        )
    return [str(r["id"]) for r in rows]


async def arrive(client: httpx.AsyncClient, learner_id: str) -> None:
    """A new result of the learner, deposited now."""
    async with client.runtime.pool.acquire() as conn:  # type: ignore[attr-defined]
        await conn.execute(
            "INSERT INTO outcomes (id, learner_id, kind, title, issuer, achieved_on, status,"
            " submitted_at) VALUES (gen_random_uuid(), $1, 'WORK_EXPERIENCE', 'New', 'Issuer',"
            " '2024-01-01', 'SUBMITTED', now())",
            uuid.UUID(learner_id),
        )


async def connection(client, learner_id, token, query=PAGE, **variables):
    found = await gql(client, query, {"id": learner_id, **variables}, token)
    assert "errors" not in found, found
    page: dict = found["data"]["_entities"][0]["outcomesConnection"]
    return page


async def test_5000_results_page_to_the_end_each_once_while_new_ones_arrive(outcomes, stack):
    learner_id, token = learner(stack)
    present = await seed(outcomes, learner_id, 5000)
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = await connection(outcomes, learner_id, token, first=100, after=after)
        if pages == 0:
            assert page["totalCount"] == 5000
        seen += [edge["node"]["id"] for edge in page["edges"]]
        assert [n["id"] for n in page["nodes"]] == [e["node"]["id"] for e in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is False
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        assert len(page["edges"]) == 100
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        after = page["pageInfo"]["endCursor"]
        await arrive(outcomes, learner_id)  # newer than anything already paged
        if pages % 10 == 0:
            await add_result(outcomes, token, title=f"Arrived after page {pages}")
    assert pages == 50
    assert len(seen) == len(set(seen)) == 5000
    assert seen == present  # every one present before the first page, newest first
    again = await connection(outcomes, learner_id, token, first=100)
    assert again["totalCount"] == 5000 + 49 + 4
    assert again["edges"][0]["node"]["id"] not in present


async def test_filters_by_status_and_kind_page_and_count_on_their_own(outcomes, stack):
    learner_id, token = learner(stack)
    newest_first = await seed(outcomes, learner_id, 24)
    async with outcomes.runtime.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT id, status, kind FROM outcomes WHERE learner_id = $1",
            uuid.UUID(learner_id),
        )
    facts = {str(r["id"]): (r["status"], r["kind"]) for r in rows}

    async def everything(**filters):
        ids, after = [], None
        while True:
            page = await connection(outcomes, learner_id, token, first=2, after=after, **filters)
            ids += [e["node"]["id"] for e in page["edges"]]
            for edge in page["edges"]:
                node = edge["node"]
                assert (node["status"], node["kind"]) == facts[node["id"]]
            if not page["pageInfo"]["hasNextPage"]:
                return ids, page["totalCount"]
            after = page["pageInfo"]["endCursor"]

    def expected(status=None, kind=None):
        return [
            i for i in newest_first if status in (None, facts[i][0]) and kind in (None, facts[i][1])
        ]

    for filters in (
        {"status": "CERTIFIED"},
        {"kind": "ONLINE_COURSE"},
        {"status": "REJECTED", "kind": "WORK_EXPERIENCE"},
        {"status": "WITHDRAWN"},
    ):
        ids, total = await everything(**filters)
        assert ids == expected(**filters), filters
        assert total == len(ids)
    assert (await everything(status="CERTIFIED"))[1] == 6
    assert (await everything(status="WITHDRAWN")) == ([], 0)


async def test_a_page_without_totalcount_and_an_empty_list(outcomes, stack):
    learner_id, token = learner(stack)
    empty = await connection(outcomes, learner_id, token, query=WITHOUT_COUNT)
    assert empty["edges"] == [] and empty["nodes"] == []
    assert empty["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": False,
        "startCursor": None,
        "endCursor": None,
    }
    await seed(outcomes, learner_id, 3)
    default = await connection(outcomes, learner_id, token)
    assert len(default["edges"]) == 3 and not default["pageInfo"]["hasNextPage"]
    none = await connection(outcomes, learner_id, token, first=0)
    assert none["edges"] == [] and none["pageInfo"]["hasNextPage"]


async def test_a_bad_cursor_or_page_size_is_refused_by_name(outcomes, stack):
    learner_id, token = learner(stack)
    await seed(outcomes, learner_id, 3)
    other_list = cursor("Certification.reviewQueueConnection", [BASE, uuid.uuid4()])
    wrong_shape = cursor("Account.outcomesConnection", [BASE])
    for after in ("not a cursor", other_list, wrong_shape, "x" * 2000):
        found = await gql(outcomes, PAGE, {"id": learner_id, "after": after}, token)
        assert found["data"]["_entities"] == [None]
        assert error_code(found) == ("BAD_USER_INPUT", "after"), after
    for first in (-1, 101):
        found = await gql(outcomes, PAGE, {"id": learner_id, "first": first}, token)
        assert error_code(found) == ("BAD_USER_INPUT", "first")
        assert "between 0 and 100" in found["errors"][0]["message"]


async def test_a_cursor_of_one_learner_pages_nothing_of_another(outcomes, stack):
    first_id, first = learner(stack)
    await seed(outcomes, first_id, 5)
    other_id, other = learner(stack)
    mine = await seed(outcomes, other_id, 5)
    page = await connection(outcomes, first_id, first, first=2)
    theirs = await connection(
        outcomes, other_id, other, first=10, after=page["pageInfo"]["endCursor"]
    )
    # a sort key only: the other learner's list goes on after it, showing only theirs
    assert {e["node"]["id"] for e in theirs["edges"]} <= set(mine)


async def test_the_connection_is_read_as_account_outcomes_is(outcomes, stack):
    learner_id, token = learner(stack)
    await seed(outcomes, learner_id, 2)
    assert len((await connection(outcomes, learner_id, token))["edges"]) == 2
    admin = stack.token(new_id(), Role.ADMIN)
    assert len((await connection(outcomes, learner_id, admin))["edges"]) == 2
    # one result waits in the review queue (SUBMITTED): any reviewer reads the learner's
    reviewer = stack.token(new_id(), Role.REVIEWER)
    assert len((await connection(outcomes, learner_id, reviewer))["edges"]) == 2
    for role in (Role.LEARNER, Role.INSTITUTION):
        found = await gql(outcomes, PAGE, {"id": learner_id}, stack.token(new_id(), role))
        assert found["data"]["_entities"] == [None]
        assert error_code(found)[0] == "FORBIDDEN"
    anonymous = await gql(outcomes, PAGE, {"id": learner_id})
    assert error_code(anonymous)[0] == "UNAUTHENTICATED"


async def test_account_outcomes_stays_and_is_deprecated(outcomes, stack):
    learner_id, token = learner(stack)
    await seed(outcomes, learner_id, 2)
    introspected = await gql(
        outcomes,
        """{ __type(name: "Account") { fields(includeDeprecated: true)
          { name isDeprecated deprecationReason } } }""",
    )
    fields = {f["name"]: f for f in introspected["data"]["__type"]["fields"]}
    assert fields["outcomes"]["isDeprecated"]
    assert fields["outcomes"]["deprecationReason"] == "use outcomesConnection: it pages"
    assert not fields["outcomesConnection"]["isDeprecated"]
    old = await gql(
        outcomes,
        """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}])
          { ... on Account { outcomes { id } } } }""",
        {"id": learner_id},
        token,
    )
    assert len(old["data"]["_entities"][0]["outcomes"]) == 2
