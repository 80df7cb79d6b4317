"""Admins list and search accounts a page at a time, and disable and enable them: a
disabled account cannot sign in or refresh a session, its data stays."""

from __future__ import annotations

from typing import Any

import pytest

from cbkit.testing import error_code, new_id
from services.accounts.tests.conftest import OPEN, PASSWORD, Person, gql, grant

ACCOUNTS = """query($search: String, $role: Role, $disabled: Boolean, $first: Int,
  $after: String) {
  accounts(search: $search, role: $role, disabled: $disabled, first: $first, after: $after) {
    totalCount
    edges { cursor node { id email displayName role disabledAt } }
    nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""
DISABLE = """mutation($id: ID!, $reason: String!) {
  disableAccount(id: $id, reason: $reason) { id disabledAt disabledReason email } }"""
ENABLE = """mutation($id: ID!) { enableAccount(id: $id) { id disabledAt disabledReason } }"""
LOGIN = """mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { token refreshToken account { id } } }"""
REFRESH = """mutation($token: String!) {
  refreshSession(refreshToken: $token) { token refreshToken } }"""
STANDING = """query($id: ID!) { account(id: $id) { id disabledAt disabledReason } }"""
DATA = """query($id: ID!) { account(id: $id) { email displayName
  balance { available } consents { id } } }"""


async def listed(accounts, admin: Person, **variables: Any) -> dict[str, Any]:
    body = await gql(accounts, ACCOUNTS, variables, admin.token)
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["accounts"]
    return found


async def every_page(
    accounts, admin: Person, first: int, after: str | None = None, **filters: Any
) -> list[str]:
    """The ids of every page after `after`, followed to the end."""
    seen: list[str] = []
    while True:
        page = await listed(accounts, admin, first=first, after=after, **filters)
        ids = [edge["node"]["id"] for edge in page["edges"]]
        assert [node["id"] for node in page["nodes"]] == ids
        assert len(ids) <= first
        seen += ids
        info = page["pageInfo"]
        assert info["hasPreviousPage"] is False
        if not info["hasNextPage"]:
            return seen
        assert info["endCursor"] == page["edges"][-1]["cursor"]
        after = info["endCursor"]


@pytest.fixture
async def tribe(people):
    """Five accounts whose names share a word nobody else has (two learners, a reviewer,
    an institution, another learner), in the order they were opened, and the word."""
    word = f"Tribe{new_id()[:8]}"
    members = [
        await people.learner(f"Wang {word}"),
        await people.learner(f"Liu {word}"),
        await people.staff("REVIEWER", f"Reviewer {word}"),
        await people.staff("INSTITUTION", f"Open University {word}"),
        await people.learner(f"Chen {word}"),
    ]
    return members, word


async def test_an_admin_finds_accounts_by_a_part_of_their_name_or_email_in_any_case(
    accounts, people, tribe
):
    members, word = tribe
    by_name = await listed(accounts, people.admin, search=word.upper())
    assert [e["node"]["id"] for e in by_name["edges"]] == [m.id for m in members]
    assert by_name["totalCount"] == 5
    assert by_name["edges"][0]["node"]["displayName"] == f"Wang {word}"
    assert by_name["edges"][0]["node"]["email"] == members[0].email

    by_email = await listed(accounts, people.admin, search=f"  {members[1].email.upper()} ")
    assert [e["node"]["id"] for e in by_email["edges"]] == [members[1].id]

    nobody = await listed(accounts, people.admin, search=f"{word}%")
    assert nobody["edges"] == [] and nobody["totalCount"] == 0
    assert nobody["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": False,
        "startCursor": None,
        "endCursor": None,
    }


async def test_the_role_filter_narrows_the_list(accounts, people, tribe):
    members, word = tribe
    learners = await listed(accounts, people.admin, search=word, role="LEARNER")
    assert [e["node"]["id"] for e in learners["edges"]] == [
        members[0].id,
        members[1].id,
        members[4].id,
    ]
    assert {e["node"]["role"] for e in learners["edges"]} == {"LEARNER"}
    reviewers = await listed(accounts, people.admin, search=word, role="REVIEWER")
    assert [e["node"]["id"] for e in reviewers["edges"]] == [members[2].id]
    assert reviewers["totalCount"] == 1


async def test_pages_follow_one_another_to_the_end_without_repeats(accounts, people, tribe):
    members, word = tribe
    assert await every_page(accounts, people.admin, 2, search=word) == [m.id for m in members]
    first = await listed(accounts, people.admin, search=word, first=2)
    assert first["pageInfo"]["hasNextPage"] is True and first["totalCount"] == 5


async def test_accounts_opened_while_an_admin_pages_come_at_the_end(accounts, people, tribe):
    members, word = tribe
    first = await listed(accounts, people.admin, search=word, first=3)
    late = await people.learner(f"Late {word}")
    rest = await every_page(
        accounts, people.admin, 3, search=word, after=first["pageInfo"]["endCursor"]
    )
    assert [e["node"]["id"] for e in first["edges"]] + rest == [m.id for m in members] + [late.id]


async def test_the_whole_list_pages_to_the_end_with_every_account_once(accounts, people, tribe):
    everyone = await every_page(accounts, people.admin, 100)
    assert len(everyone) == len(set(everyone))
    assert {m.id for m in tribe[0]} <= set(everyone)
    assert people.admin.id in everyone
    assert (await listed(accounts, people.admin, first=0))["totalCount"] == len(everyone)


async def test_a_bad_cursor_or_page_size_is_refused(accounts, people):
    ours = await listed(accounts, people.admin, first=1)
    for variables, field in (
        ({"after": "not-a-cursor"}, "after"),
        ({"after": ours["pageInfo"]["endCursor"][:-2]}, "after"),
        ({"first": 101}, "first"),
        ({"first": -1}, "first"),
        ({"search": "x" * 201}, "search"),
    ):
        body = await gql(accounts, ACCOUNTS, variables, people.admin.token)
        assert error_code(body) == ("BAD_USER_INPUT", field), body


async def caller_of(people, role: str) -> Person:
    return await people.learner() if role == "LEARNER" else await people.staff(role, "Someone")


@pytest.mark.parametrize("role", ["LEARNER", "REVIEWER", "INSTITUTION"])
async def test_only_admins_list_accounts(accounts, people, role):
    caller = await caller_of(people, role)
    body = await gql(accounts, ACCOUNTS, {}, caller.token)
    assert body["data"] is None
    assert error_code(body) == ("FORBIDDEN", None)
    assert body["errors"][0]["message"] == "only ADMIN accounts may do this"


async def test_anonymous_callers_are_asked_to_sign_in(accounts):
    body = await gql(accounts, ACCOUNTS, {})
    assert body["data"] is None
    assert error_code(body) == ("UNAUTHENTICATED", None)


async def login(accounts, email: str, password: str = PASSWORD) -> dict[str, Any]:
    return await gql(accounts, LOGIN, {"email": email, "password": password})


async def test_a_disabled_account_cannot_sign_in_until_enabled_and_its_data_stays(accounts, people):
    learner = await people.learner("Zhao Lei")
    institution = await people.staff("INSTITUTION", "Chongqing Open University")
    consent_id = await grant(accounts, learner, institution)
    session = (await login(accounts, learner.email))["data"]["login"]

    body = await gql(
        accounts, DISABLE, {"id": learner.id, "reason": "  reported   stolen "}, people.admin.token
    )
    disabled = body["data"]["disableAccount"]
    assert disabled["id"] == learner.id and disabled["disabledAt"] is not None
    assert disabled["disabledReason"] == "reported stolen"

    refused = await login(accounts, learner.email)
    assert refused["data"] is None
    assert error_code(refused) == ("FORBIDDEN", None)
    assert refused["errors"][0]["message"] == "this account is disabled; contact the bank"
    wrong = await login(accounts, learner.email, "not-the-password")
    assert error_code(wrong) == ("UNAUTHENTICATED", None)  # tells nothing without the password
    refresh = await gql(accounts, REFRESH, {"token": session["refreshToken"]})
    assert error_code(refresh) == ("FORBIDDEN", "refreshToken")
    assert refresh["errors"][0]["message"] == "this account is disabled; contact the bank"

    data = await gql(accounts, DATA, {"id": learner.id}, people.admin.token)
    assert data["data"]["account"]["email"] == learner.email
    assert data["data"]["account"]["consents"] == [{"id": consent_id}]

    enabled = await gql(accounts, ENABLE, {"id": learner.id}, people.admin.token)
    assert enabled["data"]["enableAccount"] == {
        "id": learner.id,
        "disabledAt": None,
        "disabledReason": None,
    }
    again = await login(accounts, learner.email)
    assert again["data"]["login"]["account"]["id"] == learner.id
    # the sessions of before the disabling stay signed out
    old = await gql(accounts, REFRESH, {"token": session["refreshToken"]})
    assert error_code(old) == ("UNAUTHENTICATED", "refreshToken")


async def test_the_refusal_to_sign_in_follows_the_language_asked(accounts, people):
    learner = await people.learner()
    await gql(accounts, DISABLE, {"id": learner.id, "reason": "fraud"}, people.admin.token)
    response = await accounts.post(
        "/graphql",
        json={"query": LOGIN, "variables": {"email": learner.email, "password": PASSWORD}},
        headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"},
    )
    error = response.json()["errors"][0]
    assert error["message"] == "此账户已被停用；请联系学分银行"
    assert error["extensions"]["code"] == "FORBIDDEN"


async def test_disabling_twice_or_oneself_or_nobody_is_refused(accounts, people):
    learner = await people.learner()
    admin = people.admin
    await gql(accounts, DISABLE, {"id": learner.id, "reason": "fraud"}, admin.token)
    for variables, expected in (
        ({"id": learner.id, "reason": "again"}, ("CONFLICT", "id")),
        ({"id": admin.id, "reason": "tired"}, ("FORBIDDEN", "id")),
        ({"id": new_id(), "reason": "ghost"}, ("NOT_FOUND", "id")),
        ({"id": "not-an-id", "reason": "ghost"}, ("BAD_USER_INPUT", "id")),
    ):
        body = await gql(accounts, DISABLE, variables, admin.token)
        assert body["data"] is None and error_code(body) == expected, (variables, body)
    other = await people.learner()
    blank = await gql(accounts, DISABLE, {"id": other.id, "reason": "   "}, admin.token)
    assert error_code(blank) == ("BAD_USER_INPUT", "reason")
    assert (await login(accounts, other.email))["data"]["login"]  # nothing changed
    enabled = await gql(accounts, ENABLE, {"id": other.id}, admin.token)
    assert error_code(enabled) == ("CONFLICT", "id")


async def test_only_admins_disable_and_enable(accounts, people):
    learner = await people.learner()
    for caller in (learner, await people.staff("INSTITUTION", "Some University")):
        body = await gql(accounts, DISABLE, {"id": learner.id, "reason": "x"}, caller.token)
        assert error_code(body)[0] == "FORBIDDEN"
        body = await gql(accounts, ENABLE, {"id": learner.id}, caller.token)
        assert error_code(body)[0] == "FORBIDDEN"
    assert (await login(accounts, learner.email))["data"]["login"]


async def test_the_disabled_filter_lists_disabled_accounts_only(accounts, people):
    word = f"Standing{new_id()[:8]}"
    kept = await people.learner(f"Kept {word}")
    stopped = await people.learner(f"Stopped {word}")
    await gql(accounts, DISABLE, {"id": stopped.id, "reason": "fraud"}, people.admin.token)
    disabled = await listed(accounts, people.admin, search=word, disabled=True)
    assert [e["node"]["id"] for e in disabled["edges"]] == [stopped.id]
    assert disabled["edges"][0]["node"]["disabledAt"] is not None
    enabled = await listed(accounts, people.admin, search=word, disabled=False)
    assert [e["node"]["id"] for e in enabled["edges"]] == [kept.id]


async def test_whether_an_account_is_disabled_shows_to_itself_and_admins_only(accounts, people):
    learner = await people.learner()
    institution = await people.staff("INSTITUTION", "Consented University")
    await grant(accounts, learner, institution)
    reviewer = await people.staff("REVIEWER", "Someone Reviewing")
    await gql(accounts, DISABLE, {"id": learner.id, "reason": "fraud"}, people.admin.token)

    for reader in (learner, people.admin):
        body = await gql(accounts, STANDING, {"id": learner.id}, reader.token)
        assert body["data"]["account"]["disabledReason"] == "fraud", body
    for reader in (institution, reviewer):
        body = await gql(accounts, STANDING, {"id": learner.id}, reader.token)
        assert error_code(body)[0] == "FORBIDDEN", body
        assert body["data"]["account"]["disabledAt"] is None


async def test_nobody_opens_an_account_with_an_email_kept_for_closed_accounts(accounts):
    email = f"closed-{new_id()}@closed.invalid"
    variables = {"email": email, "password": PASSWORD, "name": "Squatter"}
    body = await gql(accounts, OPEN, variables)
    assert error_code(body) == ("BAD_USER_INPUT", "email")
