"""An account's preferences: defaults until it chooses, its own only, each value
checked (a refusal in both languages names its field and changes nothing)."""

from __future__ import annotations

import pytest

from cbkit.auth import Role
from cbkit.testing import error_code, gql, new_id
from services.notifications.domain import Kind, PreferredLanguage, check_preferences
from services.notifications.tests.conftest import PREFERENCES, SET_PREFERENCES

in_session = pytest.mark.asyncio(loop_scope="session")

DEFAULTS: dict[str, object] = {"language": "zh-CN", "email": None, "emailKinds": []}


async def preferences_of(client, account_id, token):
    answer = await gql(client, PREFERENCES, {"id": account_id}, token)
    if "errors" in answer:
        return error_code(answer)
    return answer["data"]["_entities"][0]["notificationPreferences"]


@in_session
async def test_an_account_reads_the_defaults_then_what_it_chose(notifications, stack):
    account = new_id()
    token = stack.token(account, Role.INSTITUTION)
    assert await preferences_of(notifications, account, token) == DEFAULTS

    chosen = {
        "language": "en",
        "email": "  registrar@example.edu ",
        "kinds": ["CONSENT_GRANTED", "CONSENT_REVOKED", "CONSENT_GRANTED"],
    }
    answer = await gql(notifications, SET_PREFERENCES, chosen, token)
    expected = {
        "language": "en",
        "email": "registrar@example.edu",
        "emailKinds": ["CONSENT_GRANTED", "CONSENT_REVOKED"],
    }
    assert answer == {"data": {"setNotificationPreferences": expected}}
    assert await preferences_of(notifications, account, token) == expected

    none = await gql(notifications, SET_PREFERENCES, {"language": "zh-CN"}, token)
    assert none["data"]["setNotificationPreferences"] == DEFAULTS


@in_session
async def test_only_the_account_itself_reads_its_preferences(notifications, stack):
    account = new_id()
    token = stack.token(account, Role.LEARNER)
    await gql(notifications, SET_PREFERENCES, {"language": "en", "email": "li@example.org"}, token)
    for role in Role:
        other = stack.token(new_id(), role)
        refused = await preferences_of(notifications, account, other)
        assert refused == ("FORBIDDEN", "notificationPreferences"), role
    anonymous = await preferences_of(notifications, account, None)
    assert anonymous[0] == "UNAUTHENTICATED"
    signed_out = await gql(notifications, SET_PREFERENCES, {"language": "en"})
    assert error_code(signed_out)[0] == "UNAUTHENTICATED"
    assert (await preferences_of(notifications, account, token))["email"] == "li@example.org"


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"language": "fr"}, "language"),
        ({"language": "zh"}, "language"),
        ({"language": "en", "email": "not an address"}, "email"),
        ({"language": "en", "email": "li@"}, "email"),
        ({"language": "en", "email": "a" * 243 + "@example.org"}, "email"),
    ],
)
@in_session
async def test_a_bad_value_is_refused_by_its_field_and_changes_nothing(
    notifications, stack, variables, field
):
    account = new_id()
    token = stack.token(account, Role.LEARNER)
    answer = await gql(notifications, SET_PREFERENCES, variables, token)
    assert error_code(answer) == ("BAD_USER_INPUT", field)
    zh = await gql(
        notifications, SET_PREFERENCES, variables, token, headers={"Accept-Language": "zh-CN"}
    )
    assert error_code(zh) == ("BAD_USER_INPUT", field)
    assert zh["errors"][0]["message"] != answer["errors"][0]["message"]
    assert await preferences_of(notifications, account, token) == DEFAULTS


def test_an_address_of_254_characters_is_taken_and_a_kind_is_mailed_only_with_an_address():
    address = "a" * 242 + "@example.org"
    assert len(address) == 254
    chosen = check_preferences("en", address, [Kind.CERTIFIED])
    assert chosen.language is PreferredLanguage.EN and chosen.language.language == "en"
    assert chosen.emails(Kind.CERTIFIED) and not chosen.emails(Kind.REJECTED)
    assert not check_preferences("zh-CN", None, [Kind.CERTIFIED]).emails(Kind.CERTIFIED)
