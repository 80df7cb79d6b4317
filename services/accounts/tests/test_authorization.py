"""Every role against every accounts field and mutation. A learner reads only their
own account; an institution reads a learner only under an active consent; an admin
reads any; a reviewer reads a learner's id and display name only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio

from cbkit.testing import error_code, new_id
from services.accounts.tests.conftest import (
    GRANT,
    LOGIN,
    OPEN,
    PASSWORD,
    REDEEM,
    REVOKE,
    STAFF,
    clock_at,
    consume,
    converted,
    gql,
    grant,
    in_days,
    offer,
    unique_email,
)

FIELDS = {
    "id": "id",
    "displayName": "displayName",
    "role": "role",
    "email": "email",
    "createdAt": "createdAt",
    "balance": "balance { available redeemed expired earned }",
    "ledger": "ledger { entries { kind credits } nextCursor }",
    "consents": "consents { id active institution { id } }",
}
NAME = {"id", "displayName"}
PROFILE = NAME | {"role"}
EVERYTHING = set(FIELDS)

# What each caller may read of the learner; the rest is refused with the code.
READS: dict[str, tuple[set[str], str]] = {
    "self": (EVERYTHING, ""),
    "admin": (EVERYTHING, ""),
    "institution during consent": (EVERYTHING, ""),
    "reviewer": (NAME, "FORBIDDEN"),
    "other learner": (set(), "FORBIDDEN"),
    "institution before consent": (set(), "FORBIDDEN"),
    "institution after expiry": (set(), "FORBIDDEN"),
    "institution after revocation": (set(), "FORBIDDEN"),
    "anonymous": (set(), "UNAUTHENTICATED"),
}
CALLERS = list(READS)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def cast(accounts, people):
    """The learner whose account is read, and a token for every kind of caller."""
    learner = await people.learner("Li Na")
    # the mutation tests grant "target" consents and revoke them
    await consume(accounts, converted(learner.id, "PE-TRM-101", "2.0"))
    institutions = {
        phase: await people.staff("INSTITUTION", f"University {phase}")
        for phase in (
            "before consent",
            "during consent",
            "after expiry",
            "after revocation",
            "target",
        )
    }
    await grant(accounts, learner, institutions["during consent"])
    with clock_at(accounts, datetime.now(UTC) - timedelta(days=2)):
        await grant(accounts, learner, institutions["after expiry"], expires_in=-1)
    revoked = await grant(accounts, learner, institutions["after revocation"])
    await gql(accounts, REVOKE, {"id": revoked}, learner.token)
    tokens = {
        "self": learner.token,
        "admin": people.admin.token,
        "reviewer": (await people.staff("REVIEWER", "Zhao Lei")).token,
        "other learner": (await people.learner("Wang Fang")).token,
        "anonymous": None,
        **{f"institution {phase}": person.token for phase, person in institutions.items()},
    }
    return learner, tokens, institutions


@pytest.mark.parametrize("field", list(FIELDS))
@pytest.mark.parametrize("caller", CALLERS)
async def test_reading_a_learner_by_id(accounts, cast, caller, field):
    learner, tokens, _ = cast
    query = f"query($id: ID!) {{ account(id: $id) {{ {FIELDS[field]} }} }}"
    body = await gql(accounts, query, {"id": learner.id}, tokens[caller])
    allowed, refusal = READS[caller]
    if field in allowed:
        assert "errors" not in body, body
        assert body["data"]["account"][field] is not None
    else:
        assert error_code(body)[0] == refusal
        assert body["data"] is None or body["data"]["account"] is None
        assert learner.email not in str(body)


@pytest.mark.parametrize("field", [f for f in FIELDS if f != "id"])
@pytest.mark.parametrize("caller", CALLERS)
async def test_reading_a_learner_as_an_entity(accounts, cast, caller, field):
    """The gateway reaches accounts through `_entities`: the same fields, the same rules."""
    learner, tokens, _ = cast
    query = (
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Account {"
        f" {FIELDS[field]} }} }} }}"
    )
    representation = [{"__typename": "Account", "id": learner.id}]
    body = await gql(accounts, query, {"r": representation}, tokens[caller])
    allowed, refusal = READS[caller]
    if field in allowed:
        assert "errors" not in body, body
        assert body["data"]["_entities"][0][field] is not None
    else:
        assert error_code(body)[0] == refusal
        assert body["data"]["_entities"] == [None]


@pytest.mark.parametrize("caller", [c for c in CALLERS if c != "anonymous"])
async def test_everyone_reads_their_own_account(accounts, cast, caller):
    _, tokens, _ = cast
    fields = " ".join(FIELDS.values())
    body = await gql(accounts, f"{{ me {{ {fields} }} }}", token=tokens[caller])
    assert "errors" not in body, body
    assert set(body["data"]["me"]) == EVERYTHING


async def test_anonymous_has_no_account(accounts):
    assert await gql(accounts, "{ me { id } }") == {"data": {"me": None}}


async def test_an_institution_sees_only_the_consent_given_to_itself(accounts, cast):
    learner, tokens, institutions = cast
    query = "query($id: ID!) { account(id: $id) { consents { institution { id } } } }"
    body = await gql(accounts, query, {"id": learner.id}, tokens["institution during consent"])
    own = await gql(accounts, query, {"id": learner.id}, tokens["self"])
    assert body["data"]["account"]["consents"] == [
        {"institution": {"id": institutions["during consent"].id}}
    ]
    granted = {c["institution"]["id"] for c in own["data"]["account"]["consents"]}
    assert granted >= {
        institutions[p].id for p in ("during consent", "after expiry", "after revocation")
    }


@pytest.mark.parametrize("caller", CALLERS)
async def test_staff_show_name_and_role_to_anyone_signed_in(accounts, cast, caller):
    _, tokens, institutions = cast
    query = "query($id: ID!) { account(id: $id) { id displayName role } }"
    variables = {"id": institutions["during consent"].id}
    body = await gql(accounts, query, variables, tokens[caller])
    if caller == "anonymous":
        assert error_code(body)[0] == "UNAUTHENTICATED"
        return
    assert body["data"]["account"]["role"] == "INSTITUTION"
    email = await gql(
        accounts, "query($id: ID!) { account(id: $id) { email } }", variables, tokens[caller]
    )
    if caller in ("admin", "institution during consent"):
        assert "errors" not in email, email
    else:
        assert error_code(email)[0] == "FORBIDDEN"


async def test_an_account_that_does_not_exist_is_refused_like_one_that_is_not_yours(accounts, cast):
    _, tokens, _ = cast
    query = "query($id: ID!) { account(id: $id) { id } }"
    for caller in CALLERS:
        body = await gql(accounts, query, {"id": new_id()}, tokens[caller])
        if caller == "admin":
            assert body == {"data": {"account": None}}
            continue
        expected = "UNAUTHENTICATED" if caller == "anonymous" else "FORBIDDEN"
        assert error_code(body)[0] == expected
        assert body["data"] is None or body["data"]["account"] is None


# Mutations: who may call each; the others get the code.
MUTATIONS: dict[str, set[str]] = {
    "createStaffAccount": {"admin"},
    "grantConsent": {"self", "other learner"},
    "revokeConsent": {"self"},
    "redeemCredits": {"institution during consent"},
}


def _refusal(caller: str, mutation: str) -> str:
    if caller == "anonymous":
        return "UNAUTHENTICATED"
    if mutation == "revokeConsent" and caller == "other learner":
        return "NOT_FOUND"
    return "FORBIDDEN"


@pytest.mark.parametrize("mutation", list(MUTATIONS))
@pytest.mark.parametrize("caller", CALLERS)
async def test_calling_a_mutation(accounts, cast, caller, mutation):
    learner, tokens, institutions = cast
    if mutation == "createStaffAccount":
        variables = {
            "role": "REVIEWER",
            "email": unique_email("R"),
            "password": PASSWORD,
            "name": "R",
        }
        query = STAFF
    elif mutation == "grantConsent":
        query, variables = GRANT, {"institution": institutions["target"].id, "expires": in_days(7)}
    elif mutation == "revokeConsent":
        query, variables = REVOKE, {"id": await grant(accounts, learner, institutions["target"])}
    else:
        course = f"C-{new_id()[:6]}"
        await consume(accounts, converted(learner.id, course, "1.0"))
        await offer(accounts, institutions["during consent"], course)
        query, variables = REDEEM, {"learner": learner.id, "course": course}

    body = await gql(accounts, query, variables, tokens[caller])

    if caller in MUTATIONS[mutation]:
        assert "errors" not in body, body
    else:
        assert error_code(body)[0] == _refusal(caller, mutation)
        assert body["data"] is None


@pytest.mark.parametrize("caller", CALLERS)
async def test_anyone_may_open_a_learner_account_and_sign_in(accounts, cast, caller):
    _, tokens, _ = cast
    email = unique_email("New")
    opened = await gql(
        accounts, OPEN, {"email": email, "password": PASSWORD, "name": "New"}, tokens[caller]
    )
    signed_in = await gql(accounts, LOGIN, {"email": email, "password": PASSWORD}, tokens[caller])
    assert "errors" not in opened
    assert signed_in["data"]["login"]["account"]["role"] == "LEARNER"


async def test_one_institution_before_during_and_after_a_consent(accounts, people):
    learner = await people.learner()
    institution = await people.staff("INSTITUTION", "Chongqing Open University")
    query = "query($id: ID!) { account(id: $id) { email balance { available } } }"

    async def reads() -> str:
        body = await gql(accounts, query, {"id": learner.id}, institution.token)
        return error_code(body)[0] if "errors" in body else "READ"

    before = await reads()
    consent_id = await grant(accounts, learner, institution)
    during = await reads()
    await gql(accounts, REVOKE, {"id": consent_id}, learner.token)
    after_revocation = await reads()
    await grant(accounts, learner, institution)
    regranted = await reads()
    with clock_at(accounts, datetime.now(UTC) + timedelta(days=30, seconds=1)):
        after_expiry = await reads()

    assert [before, during, after_revocation, regranted, after_expiry] == [
        "FORBIDDEN",
        "READ",
        "FORBIDDEN",
        "READ",
        "FORBIDDEN",
    ]
