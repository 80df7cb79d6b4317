"""Opening accounts, signing in, staff accounts and the first admin."""

from __future__ import annotations

import pytest

from cbkit.settings import SettingsError, load_settings
from cbkit.testing import error_code
from services.accounts.service import (
    DEV_ADMIN_EMAIL,
    DEV_ADMIN_PASSWORD,
    admin_credentials,
    build,
)
from services.accounts.tests.conftest import (
    OPEN,
    PASSWORD,
    STAFF,
    attempt,
    codes,
    gql,
    login,
    new_address,
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
    learner, address = await people.learner(), new_address()
    wrong_password = await attempt(accounts, learner.email, "nope" * 3, address)
    unknown = await attempt(accounts, unique_email("Nobody"), PASSWORD, address)
    malformed = await attempt(accounts, "nobody", PASSWORD, address)

    answers = [b["errors"][0] for b in (wrong_password, unknown, malformed)]
    assert {(a["message"], a["extensions"]["code"]) for a in answers} == {
        ("wrong email or password", "UNAUTHENTICATED")
    }


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
