"""The ledger, consents, an institution's consented learners and redemptions page the
Relay way (first/after, pageInfo, totalCount) by keyset: to the end with no duplicates
or gaps, even while new rows arrive; a cursor of another list, or none at all, is refused."""

from __future__ import annotations

import pytest

from cbkit.testing import error_code
from services.accounts.tests.conftest import (
    REVOKE,
    consume,
    converted,
    gql,
    grant,
)

LEDGER = """query($id: ID!, $first: Int, $after: String) { account(id: $id) {
  ledgerConnection(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id kind courseCode } } } } }"""
CONSENTS = """query($id: ID!, $first: Int, $after: String, $active: Boolean) { account(id: $id) {
  consentsConnection(first: $first, after: $after, activeOnly: $active) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id active institution { id } } } } }"""
CONSENTED = """query($id: ID!, $first: Int, $after: String) { account(id: $id) {
  consentedLearners(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id learner { id } } } } }"""
DEPRECATED = """query($id: ID!) { account(id: $id) {
  ledger { entries { id } } consents { id } } }"""


async def _page(accounts, query, field, variables, token):
    body = await gql(accounts, query, variables, token)
    assert "errors" not in body, body
    found: dict = body["data"]["account"][field]
    return found


@pytest.fixture
async def learner(people):
    return await people.learner()


async def test_the_ledger_pages_to_the_end_newest_first_while_entries_arrive(accounts, learner):
    for n in range(7):
        await consume(accounts, converted(learner.id, f"C-{n}", "1.0"))

    seen, after, pages = [], None, 0
    while True:
        variables = {"id": learner.id, "first": 3, "after": after}
        page = await _page(accounts, LEDGER, "ledgerConnection", variables, learner.token)
        pages += 1
        seen += [e["node"]["courseCode"] for e in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is False
        if page["edges"]:
            assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
            assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        # a newer entry arrives between pages: it is ahead of the cursor, never in a later page
        await consume(accounts, converted(learner.id, f"NEW-{pages}", "1.0"))
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert seen == [f"C-{n}" for n in reversed(range(7))]
    assert pages == 3
    first = await _page(accounts, LEDGER, "ledgerConnection", {"id": learner.id}, learner.token)
    assert first["totalCount"] == 7 + pages
    assert first["edges"][0]["node"]["courseCode"] == f"NEW-{pages}"


@pytest.mark.parametrize(
    ("first", "after", "field"),
    [(-1, None, "first"), (101, None, "first"), (2, "bogus", "after"), (2, "e30", "after")],
)
async def test_a_bad_page_request_is_refused(accounts, learner, first, after, field):
    variables = {"id": learner.id, "first": first, "after": after}
    body = await gql(accounts, LEDGER, variables, learner.token)
    assert error_code(body) == ("BAD_USER_INPUT", field)


async def test_a_cursor_of_another_list_is_refused(accounts, people, learner):
    institution = await people.staff("INSTITUTION", "Chongqing Open University")
    await grant(accounts, learner, institution)
    consents = await _page(
        accounts, CONSENTS, "consentsConnection", {"id": learner.id, "first": 1}, learner.token
    )
    variables = {"id": learner.id, "after": consents["pageInfo"]["endCursor"]}
    body = await gql(accounts, LEDGER, variables, learner.token)
    assert error_code(body) == ("BAD_USER_INPUT", "after")
    assert "ledger" in body["errors"][0]["message"]


async def test_consents_page_and_filter_and_an_institution_sees_its_own(accounts, people, learner):
    institutions = [await people.staff("INSTITUTION", f"University {n}") for n in range(4)]
    granted = [await grant(accounts, learner, i) for i in institutions]
    await gql(accounts, REVOKE, {"id": granted[1]}, learner.token)

    seen, after = [], None
    while True:
        variables = {"id": learner.id, "first": 3, "after": after}
        page = await _page(accounts, CONSENTS, "consentsConnection", variables, learner.token)
        seen += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == list(reversed(granted))
    assert page["totalCount"] == 4

    variables = {"id": learner.id, "active": True}
    active = await _page(accounts, CONSENTS, "consentsConnection", variables, learner.token)
    assert [n["id"] for n in active["nodes"]] == [granted[3], granted[2], granted[0]]
    assert active["totalCount"] == 3
    # an institution reading the learner sees only the consent given to itself
    variables = {"id": learner.id}
    theirs = await _page(accounts, CONSENTS, "consentsConnection", variables, institutions[2].token)
    assert [n["id"] for n in theirs["nodes"]] == [granted[2]]
    assert theirs["totalCount"] == 1


async def test_an_institution_pages_its_consented_learners(accounts, people):
    institution = await people.staff("INSTITUTION", "Chongqing Open University")
    learners = [await people.learner(f"Learner {n}") for n in range(5)]
    granted = [await grant(accounts, person, institution) for person in learners]
    await gql(accounts, REVOKE, {"id": granted[3]}, learners[3].token)

    seen, after = [], None
    while True:
        variables = {"id": institution.id, "first": 2, "after": after}
        page = await _page(accounts, CONSENTED, "consentedLearners", variables, institution.token)
        seen += [n["learner"]["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert seen == [learners[n].id for n in (4, 2, 1, 0)]
    assert page["totalCount"] == 4
    # a learner's own consentedLearners is empty; another account's is not for them
    own = await _page(
        accounts, CONSENTED, "consentedLearners", {"id": learners[0].id}, learners[0].token
    )
    assert (own["nodes"], own["totalCount"]) == ([], 0)
    body = await gql(accounts, CONSENTED, {"id": institution.id}, learners[0].token)
    assert error_code(body)[0] == "FORBIDDEN"


async def test_the_pages_are_read_as_the_old_lists_were(accounts, people, learner):
    await consume(accounts, converted(learner.id, "C-1", "1.0"))
    stranger = await people.learner()
    institution = await people.staff("INSTITUTION", "Chongqing Open University")
    variables = {"id": learner.id}
    for token in (stranger.token, institution.token):
        body = await gql(accounts, LEDGER, variables, token)
        assert error_code(body)[0] == "FORBIDDEN"
        body = await gql(accounts, CONSENTS, variables, token)
        assert error_code(body)[0] == "FORBIDDEN"
    assert error_code(await gql(accounts, LEDGER, variables))[0] == "UNAUTHENTICATED"
    await grant(accounts, learner, institution)
    page = await _page(accounts, LEDGER, "ledgerConnection", variables, institution.token)
    assert [e["node"]["courseCode"] for e in page["edges"]] == ["C-1"]
    admin = await _page(accounts, LEDGER, "ledgerConnection", variables, people.admin.token)
    assert admin["totalCount"] == 1
    # the deprecated lists still answer
    old = await gql(accounts, DEPRECATED, variables, learner.token)
    assert len(old["data"]["account"]["ledger"]["entries"]) == 1
    assert len(old["data"]["account"]["consents"]) == 1
