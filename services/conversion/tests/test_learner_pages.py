"""A learner's conversions, certificates and refusals page, newest first, by keyset:
to the end with no duplicates or gaps while new rows arrive, with filters and counts."""

from typing import Any

from cbkit.testing import error_code, gql, handled
from services.conversion.tests.conftest import Catalog, learner

PAGE = """query($id: ID!, $first: Int, $after: String, $status: ConversionStatus) {
  _entities(representations: [{__typename: "Account", id: $id}]) { ... on Account {
    conversionsConnection(first: $first, after: $after, status: $status) {
      totalCount edges { cursor node { id status course { code } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }"""
REFUSALS = """query($id: ID!, $first: Int, $after: String) {
  _entities(representations: [{__typename: "Account", id: $id}]) { ... on Account {
    conversionRefusals(first: $first, after: $after) {
      totalCount nodes { code outcome { id } } pageInfo { hasNextPage endCursor } } } } }"""
CERTIFICATES = """query($id: ID!, $first: Int, $after: String) {
  _entities(representations: [{__typename: "Account", id: $id}]) { ... on Account {
    certificates { serial }
    certificatesConnection(first: $first, after: $after) {
      totalCount nodes { serial program { code } } pageInfo { hasNextPage endCursor } } } } }"""


async def read(conversion, query: str, token: str, **variables: Any) -> dict[str, Any]:
    found = await gql(conversion, query, variables, token)
    assert "errors" not in found, found
    account: dict[str, Any] = found["data"]["_entities"][0]
    return account


async def test_conversions_page_newest_first_to_the_end_while_new_ones_arrive(
    conversion, bus, admin, stack
) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    credentials = [(await catalog.course_with_rule(str(i), "1.0", major))[1] for i in range(9)]
    account, token = learner(stack)
    for credential in credentials[:7]:
        await handled(conversion, await bus.approve(account, credential))

    first = (await read(conversion, PAGE, token, id=account, first=3))["conversionsConnection"]
    assert first["totalCount"] == 7
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]
    seen = [e["node"]["id"] for e in first["edges"]]

    # two more arrive while the learner pages: they are newer, before the cursor
    for credential in credentials[7:]:
        await handled(conversion, await bus.approve(account, credential))
    after = first["pageInfo"]["endCursor"]
    while True:
        page = await read(conversion, PAGE, token, id=account, first=3, after=after)
        connection = page["conversionsConnection"]
        seen += [e["node"]["id"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 7
    everything = await read(conversion, PAGE, token, id=account, first=100)
    newest_first = [e["node"]["id"] for e in everything["conversionsConnection"]["edges"]]
    assert len(newest_first) == 9
    assert newest_first[2:] == seen  # the two newer ones first, then the pages read, in order
    courses = [e["node"]["course"]["code"] for e in everything["conversionsConnection"]["edges"]]
    assert courses == [catalog.code(f"C{i}") for i in reversed(range(9))]


async def test_conversions_filter_by_status(conversion, bus, admin, stack) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    credentials = [(await catalog.course_with_rule(str(i), "1.0", major))[1] for i in range(3)]
    account, token = learner(stack)
    for credential in credentials:
        await handled(conversion, await bus.approve(account, credential))
    everything = await read(conversion, PAGE, token, id=account)
    victim = everything["conversionsConnection"]["edges"][1]["node"]["id"]
    revoke = 'mutation($id: ID!) { revokeConversion(id: $id, reason: "forged") { status } }'
    assert "errors" not in await gql(conversion, revoke, {"id": victim}, admin)

    revoked = await read(conversion, PAGE, token, id=account, status="REVOKED")
    assert revoked["conversionsConnection"]["totalCount"] == 1
    assert [e["node"]["id"] for e in revoked["conversionsConnection"]["edges"]] == [victim]
    active = await read(conversion, PAGE, token, id=account, status="ACTIVE", first=1)
    assert active["conversionsConnection"]["totalCount"] == 2
    assert active["conversionsConnection"]["pageInfo"]["hasNextPage"] is True
    cursor = active["conversionsConnection"]["pageInfo"]["endCursor"]
    rest = await read(conversion, PAGE, token, id=account, status="ACTIVE", after=cursor)
    ids = [e["node"]["id"] for e in rest["conversionsConnection"]["edges"]]
    assert len(ids) == 1 and victim not in ids


async def test_refusals_page_across_results(conversion, bus, stack) -> None:
    account, token = learner(stack)
    events = [await bus.approve(account, f"CN-PAGED-{i}") for i in range(5)]
    for event in events:
        await handled(conversion, event)
    outcomes: list[str] = []
    after = None
    for expected_next in (True, True, False):
        page = await read(conversion, REFUSALS, token, id=account, first=2, after=after)
        refusals = page["conversionRefusals"]
        assert refusals["totalCount"] == 5
        assert refusals["pageInfo"]["hasNextPage"] is expected_next
        assert {r["code"] for r in refusals["nodes"]} == {"NO_RULE"}
        outcomes += [r["outcome"]["id"] for r in refusals["nodes"]]
        after = refusals["pageInfo"]["endCursor"]
    assert outcomes == [e.data["outcomeId"] for e in reversed(events)]


async def test_certificates_page_and_the_old_list_stays(conversion, bus, admin, stack) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    pairs = [await catalog.course_with_rule(str(i), "1.0", major) for i in range(3)]
    programs = [await catalog.program(f"P{i}", [course]) for i, (course, _) in enumerate(pairs)]
    account, token = learner(stack)
    for _, credential in pairs:
        await handled(conversion, await bus.approve(account, credential))

    first = await read(conversion, CERTIFICATES, token, id=account, first=2)
    connection = first["certificatesConnection"]
    assert connection["totalCount"] == 3
    assert [n["program"]["code"] for n in connection["nodes"]] == programs[::-1][:2]
    after = connection["pageInfo"]["endCursor"]
    rest = await read(conversion, CERTIFICATES, token, id=account, first=2, after=after)
    assert [n["program"]["code"] for n in rest["certificatesConnection"]["nodes"]] == programs[:1]
    assert rest["certificatesConnection"]["pageInfo"]["hasNextPage"] is False
    assert len(first["certificates"]) == 3  # the deprecated list still answers


async def test_a_page_is_asked_for_within_bounds_and_with_its_own_cursors(
    conversion, bus, stack
) -> None:
    account, token = learner(stack)
    await handled(conversion, await bus.approve(account, "CN-PAGED-X"))
    refusals = await read(conversion, REFUSALS, token, id=account, first=1)
    cursor = refusals["conversionRefusals"]["pageInfo"]["endCursor"]

    too_many = await gql(conversion, PAGE, {"id": account, "first": 101}, token)
    assert error_code(too_many) == ("BAD_USER_INPUT", "first")
    negative = await gql(conversion, REFUSALS, {"id": account, "first": -1}, token)
    assert error_code(negative) == ("BAD_USER_INPUT", "first")
    foreign = await gql(conversion, PAGE, {"id": account, "after": cursor}, token)
    assert error_code(foreign) == ("BAD_USER_INPUT", "after")
    garbage = await gql(conversion, PAGE, {"id": account, "after": "not-a-cursor"}, token)
    assert error_code(garbage) == ("BAD_USER_INPUT", "after")
    none = await read(conversion, PAGE, token, id=account, first=0)
    assert none["conversionsConnection"]["edges"] == []


async def test_the_pages_keep_the_access_rule(conversion, bus, stack) -> None:
    account, _ = learner(stack)
    _, stranger = learner(stack)
    await handled(conversion, await bus.approve(account, "CN-PAGED-Y"))
    for query in (PAGE, REFUSALS, CERTIFICATES):
        refused = await gql(conversion, query, {"id": account}, stranger)
        assert error_code(refused) == ("FORBIDDEN", None)
        anonymous = await gql(conversion, query, {"id": account})
        assert error_code(anonymous) == ("UNAUTHENTICATED", None)
