"""Opening accounts, signing in, staff accounts and the first admin."""

from __future__ import annotations

import pytest

from cbkit.settings import SettingsError, load_settings
from cbkit.testing import error_code
from services.accounts.domain import accounts as domain
from services.accounts.service import (
    DEV_ADMIN_EMAIL,
    DEV_ADMIN_PASSWORD,
    admin_credentials,
    build,
)
from services.accounts.tests.conftest import (
    LOGIN,
    OPEN,
    PASSWORD,
    STAFF,
    codes,
    gql,
    login,
    unique_email,
)

ME = "{ me { id role email displayName } }"


async def test_a_learner_opens_an_account_and_signs_in_with_any_case_of_email(accounts):
    email = unique_email("Wang Fang")
    opened = await gql(
        accounts, OPEN, {"email": email.upper(), "password": PASSWORD, "name": "  Wang   Fang "}
    )
    account_id = opened["data"]["openAccount"]["account"]["id"]

    signed_in = await login(accounts, f"  {email.title()} ", PASSWORD)
    me = await gql(accounts, ME, token=signed_in.token)

    assert me["data"]["me"] == {
        "id": account_id,
        "role": "LEARNER",
        "email": email,
        "displayName": "Wang Fang",
    }


async def test_an_email_opens_one_account_whatever_its_case(accounts):
    email = unique_email("Twice")
    first = await gql(accounts, OPEN, {"email": email, "password": PASSWORD, "name": "A"})
    again = await gql(accounts, OPEN, {"email": email.upper(), "password": PASSWORD, "name": "B"})
    assert "errors" not in first
    assert codes(again) == ["CONFLICT"]
    assert error_code(again) == ("CONFLICT", "email")


@pytest.mark.parametrize(
    ("email", "password", "name", "field"),
    [
        ("not-an-email", PASSWORD, "A", "email"),
        ("short@example.org", "short", "A", "password"),
        ("blank@example.org", PASSWORD, "   ", "displayName"),
    ],
)
async def test_bad_input_is_refused_naming_the_field(accounts, email, password, name, field):
    body = await gql(accounts, OPEN, {"email": email, "password": password, "name": name})
    assert codes(body) == ["BAD_USER_INPUT"]
    assert error_code(body) == ("BAD_USER_INPUT", field)


async def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(accounts, people):
    learner = await people.learner()
    wrong_password = await gql(accounts, LOGIN, {"email": learner.email, "password": "nope" * 3})
    unknown = await gql(accounts, LOGIN, {"email": unique_email("Nobody"), "password": PASSWORD})
    malformed = await gql(accounts, LOGIN, {"email": "nobody", "password": PASSWORD})

    answers = [b["errors"][0] for b in (wrong_password, unknown, malformed)]
    assert {(a["message"], a["extensions"]["code"]) for a in answers} == {
        ("wrong email or password", "UNAUTHENTICATED")
    }


async def test_repeated_failures_lock_an_email_even_for_its_right_password(accounts, people):
    learner = await people.learner()
    for _ in range(domain.FREE_FAILURES):
        failed = await gql(accounts, LOGIN, {"email": learner.email, "password": "wrong" * 3})
        assert codes(failed) == ["UNAUTHENTICATED"]
    locked = await gql(accounts, LOGIN, {"email": learner.email, "password": "wrong" * 3})
    assert codes(locked) == ["UNAUTHENTICATED"]

    right = await gql(accounts, LOGIN, {"email": learner.email, "password": PASSWORD})

    assert codes(right) == ["TOO_MANY_ATTEMPTS"]
    assert "try again in" in right["errors"][0]["message"]


async def test_an_unknown_email_is_locked_alike(accounts):
    email = unique_email("Ghost")
    for _ in range(domain.FREE_FAILURES + 1):
        await gql(accounts, LOGIN, {"email": email, "password": PASSWORD})
    body = await gql(accounts, LOGIN, {"email": email, "password": PASSWORD})
    assert codes(body) == ["TOO_MANY_ATTEMPTS"]


async def test_a_successful_sign_in_forgets_earlier_failures(accounts, people):
    learner = await people.learner()
    for _ in range(domain.FREE_FAILURES - 1):
        await gql(accounts, LOGIN, {"email": learner.email, "password": "wrong" * 3})
    await login(accounts, learner.email, PASSWORD)
    for _ in range(domain.FREE_FAILURES - 1):
        await gql(accounts, LOGIN, {"email": learner.email, "password": "wrong" * 3})
    assert (await login(accounts, learner.email, PASSWORD)).id == learner.id


def test_locks_grow_with_each_failure_past_the_free_ones_up_to_a_limit():
    locks = [domain.lock_after(n) for n in range(1, 20)]
    assert locks[: domain.FREE_FAILURES] == [None] * domain.FREE_FAILURES
    assert locks[domain.FREE_FAILURES] == domain.FIRST_LOCK
    assert locks[domain.FREE_FAILURES + 1] == 2 * domain.FIRST_LOCK
    assert locks[-1] == domain.MAX_LOCK


async def test_the_first_admin_exists_from_start_up_and_creates_staff(accounts, people):
    me = await gql(accounts, ME, token=people.admin.token)
    assert me["data"]["me"]["role"] == "ADMIN"
    assert me["data"]["me"]["email"] == DEV_ADMIN_EMAIL

    email = unique_email("Reviewer")
    variables = {"role": "REVIEWER", "email": email, "password": PASSWORD, "name": "Zhao Lei"}
    created = await gql(accounts, STAFF, variables, people.admin.token)
    assert "errors" not in created
    assert (await login(accounts, email, PASSWORD)).id == created["data"]["createStaffAccount"][
        "id"
    ]


async def test_only_an_admin_creates_staff_and_never_a_learner(accounts, people):
    learner = await people.learner()
    variables = {"role": "ADMIN", "email": unique_email("X"), "password": PASSWORD, "name": "X"}
    assert codes(await gql(accounts, STAFF, variables, learner.token)) == ["FORBIDDEN"]
    assert codes(await gql(accounts, STAFF, variables)) == ["UNAUTHENTICATED"]
    as_learner = {**variables, "role": "LEARNER"}
    refused = await gql(accounts, STAFF, as_learner, people.admin.token)
    assert codes(refused) == ["BAD_USER_INPUT"]
    assert error_code(refused) == ("BAD_USER_INPUT", "role")


async def test_the_first_admin_comes_from_the_environment_once(run_service, stack):
    stack.settings("accounts", "admin")  # a system of its own, removed with the run's
    email = unique_email("Chief")
    env = {**stack.env("admin"), "CB_ADMIN_PASSWORD": "a-real-admin-password"}
    async with run_service(build(), **env, CB_ADMIN_EMAIL=email) as client:
        admin = await login(client, email, "a-real-admin-password")
    async with run_service(build(), **env, CB_ADMIN_EMAIL=unique_email("Second")) as client:
        admins = await client.runtime.pool.fetch("SELECT id FROM accounts WHERE role = 'ADMIN'")
    assert [str(a["id"]) for a in admins] == [admin.id]


PRODUCTION = {
    "CB_ENV": "production",
    "CB_POSTGRES_URL": "postgresql://db",
    "CB_AMQP_URL": "amqp://broker",
    "CB_JWKS_URL": "http://accounts/.well-known/jwks.json",
}


def test_development_falls_back_to_the_default_admin():
    settings = load_settings("accounts", {"CB_ENV": "development"})
    assert admin_credentials(settings) == (DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)


@pytest.mark.parametrize(
    ("admin", "refusal"),
    [
        (
            {"CB_ADMIN_EMAIL": "a@example.org", "CB_ADMIN_PASSWORD": DEV_ADMIN_PASSWORD},
            "placeholder",
        ),
        ({"CB_ADMIN_EMAIL": "a@example.org"}, "CB_ADMIN_PASSWORD is required"),
        ({"CB_ADMIN_PASSWORD": "a-real-admin-password"}, "CB_ADMIN_EMAIL is required"),
    ],
)
def test_production_refuses_missing_or_placeholder_admin_credentials(admin, refusal):
    settings = load_settings("accounts", {**PRODUCTION, **admin})
    with pytest.raises(SettingsError, match=refusal):
        admin_credentials(settings)


async def test_the_public_key_is_served_as_jwks(accounts):
    response = await accounts.get("/.well-known/jwks.json")
    (key,) = response.json()["keys"]
    assert (key["kty"], key["crv"], key["alg"], key["use"]) == ("OKP", "Ed25519", "EdDSA", "sig")
    assert "d" not in key
