"""A learner lets an institution in until a date, and can take it back at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cbkit.testing import error_code
from services.accounts.tests.conftest import (
    GRANT,
    REVOKE,
    clock_at,
    codes,
    gql,
    grant,
    heard,
    in_days,
)

CONSENTS = "{ me { consents { id active learner { id } institution { id } } } }"


@pytest.fixture
async def pair(people):
    return await people.learner(), await people.staff("INSTITUTION", "Chongqing Open University")


async def test_a_learner_grants_an_institution_consent_and_the_event_tells_others(
    accounts, pair, bus
):
    learner, institution = pair
    expires = in_days(90)
    body = await gql(
        accounts, GRANT, {"institution": institution.id, "expires": expires}, learner.token
    )

    consent = body["data"]["grantConsent"]
    assert consent["active"] is True
    assert consent["revokedAt"] is None
    assert datetime.fromisoformat(consent["expiresAt"]) == datetime.fromisoformat(expires)
    assert consent["learner"] == {"id": learner.id}
    assert consent["institution"] == {
        "id": institution.id,
        "displayName": "Chongqing Open University",
    }
    [event] = await heard(bus, "consent.granted", "consentId", consent["id"])
    assert event.subject == learner.id
    assert event.data["learnerId"] == learner.id
    assert event.data["institutionId"] == institution.id
    assert datetime.fromisoformat(event.data["expiresAt"]) == datetime.fromisoformat(expires)


async def test_both_sides_see_the_consent(accounts, pair):
    learner, institution = pair
    body = await gql(
        accounts, GRANT, {"institution": institution.id, "expires": in_days(5)}, learner.token
    )
    consent_id = body["data"]["grantConsent"]["id"]
    for person in pair:
        seen = await gql(accounts, CONSENTS, token=person.token)
        assert [c["id"] for c in seen["data"]["me"]["consents"]] == [consent_id]


@pytest.mark.parametrize(
    ("expires", "message"),
    [
        (lambda: in_days(-1), "expiresAt must be in the future"),
        (lambda: in_days(367), "expiresAt must be at most one year ahead"),
    ],
)
async def test_an_expiry_in_the_past_or_beyond_a_year_is_refused(accounts, pair, expires, message):
    learner, institution = pair
    body = await gql(
        accounts, GRANT, {"institution": institution.id, "expires": expires()}, learner.token
    )
    assert codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"] == message
    assert error_code(body) == ("BAD_USER_INPUT", "expiresAt")
    assert (await gql(accounts, CONSENTS, token=learner.token))["data"]["me"]["consents"] == []


async def test_an_expiry_is_required(accounts, pair):
    learner, institution = pair
    query = "mutation($i: ID!) { grantConsent(institutionId: $i) { id } }"
    body = await gql(accounts, query, {"i": institution.id}, learner.token)
    assert (
        "grantConsent(expiresAt:)' of type 'DateTime!' is required" in body["errors"][0]["message"]
    )


async def test_an_expiry_just_under_a_year_ahead_is_accepted(accounts, pair):
    learner, institution = pair
    almost = (datetime.now(UTC) + timedelta(days=365) - timedelta(minutes=1)).isoformat()
    body = await gql(
        accounts, GRANT, {"institution": institution.id, "expires": almost}, learner.token
    )
    assert body["data"]["grantConsent"]["active"] is True


async def test_consent_goes_only_to_an_institution(accounts, people):
    learner, other = await people.learner(), await people.learner("Other")
    reviewer = await people.staff("REVIEWER", "Reviewer")
    for target in (other.id, reviewer.id, "00000000-0000-0000-0000-000000000000", "nonsense"):
        body = await gql(
            accounts, GRANT, {"institution": target, "expires": in_days(5)}, learner.token
        )
        assert codes(body) == ["BAD_USER_INPUT"]
        assert error_code(body) == ("BAD_USER_INPUT", "institutionId")


async def test_only_a_learner_grants_and_revokes(accounts, pair, people):
    learner, institution = pair
    consent_id = (
        await gql(
            accounts, GRANT, {"institution": institution.id, "expires": in_days(5)}, learner.token
        )
    )["data"]["grantConsent"]["id"]
    for person in (institution, people.admin):
        granted = await gql(
            accounts, GRANT, {"institution": institution.id, "expires": in_days(5)}, person.token
        )
        assert codes(granted) == ["FORBIDDEN"]
        assert codes(await gql(accounts, REVOKE, {"id": consent_id}, person.token)) == ["FORBIDDEN"]
    assert codes(await gql(accounts, REVOKE, {"id": consent_id})) == ["UNAUTHENTICATED"]


async def test_granting_again_moves_the_expiry_of_the_active_consent(accounts, pair):
    learner, institution = pair
    first = await gql(
        accounts, GRANT, {"institution": institution.id, "expires": in_days(5)}, learner.token
    )
    later = in_days(60)
    again = await gql(
        accounts, GRANT, {"institution": institution.id, "expires": later}, learner.token
    )
    assert again["data"]["grantConsent"]["id"] == first["data"]["grantConsent"]["id"]
    assert datetime.fromisoformat(
        again["data"]["grantConsent"]["expiresAt"]
    ) == datetime.fromisoformat(later)
    consents = (await gql(accounts, CONSENTS, token=learner.token))["data"]["me"]["consents"]
    assert len(consents) == 1


async def test_revoking_takes_effect_at_once_and_tells_others_once(accounts, pair, bus):
    learner, institution = pair
    granted = await gql(
        accounts, GRANT, {"institution": institution.id, "expires": in_days(5)}, learner.token
    )
    consent_id = granted["data"]["grantConsent"]["id"]

    revoked = (await gql(accounts, REVOKE, {"id": consent_id}, learner.token))["data"][
        "revokeConsent"
    ]
    again = (await gql(accounts, REVOKE, {"id": consent_id}, learner.token))["data"][
        "revokeConsent"
    ]

    assert revoked["active"] is False
    assert revoked["revokedAt"] is not None
    assert again == revoked
    [event] = await heard(bus, "consent.revoked", "consentId", consent_id)
    assert event.data["institutionId"] == institution.id
    seen = await gql(
        accounts,
        "query($id: ID!) { account(id: $id) { email } }",
        {"id": learner.id},
        institution.token,
    )
    assert codes(seen) == ["FORBIDDEN"]
    # accounts publishes in order: once a later event arrived, a second revocation would have
    marker = await gql(
        accounts, GRANT, {"institution": institution.id, "expires": in_days(5)}, learner.token
    )
    await heard(bus, "consent.granted", "consentId", marker["data"]["grantConsent"]["id"])
    assert len(bus.heard_about("consentId", consent_id, "consent.revoked")) == 1


async def test_a_learner_cannot_revoke_someone_elses_consent(accounts, pair, people):
    learner, institution = pair
    other = await people.learner("Other")
    granted = await gql(
        accounts, GRANT, {"institution": institution.id, "expires": in_days(5)}, learner.token
    )
    consent_id = granted["data"]["grantConsent"]["id"]
    body = await gql(accounts, REVOKE, {"id": consent_id}, other.token)
    assert codes(body) == ["NOT_FOUND"]
    consents = (await gql(accounts, CONSENTS, token=learner.token))["data"]["me"]["consents"]
    assert consents[0]["active"] is True


LEARNER = (
    "id displayName email createdAt balance { available } ledger { nextCursor } consents { id }"
)
INSTITUTION_CONSENTS = f"""{{ me {{ consents {{ id active revokedAt expiresAt
  learner {{ {LEARNER} }} }} }} }}"""


async def end(accounts, learner, institution, how: str) -> None:
    """A consent of the learner's to the institution that is no longer active."""
    if how == "revoked":
        consent_id = await grant(accounts, learner, institution)
        await gql(accounts, REVOKE, {"id": consent_id}, learner.token)
        return
    with clock_at(accounts, datetime.now(UTC) - timedelta(days=2)):
        await grant(accounts, learner, institution, expires_in=-1)


@pytest.mark.parametrize("how", ["revoked", "expired"])
async def test_an_institution_lists_a_consent_that_ended_but_reads_nothing_of_its_learner(
    accounts, pair, how
):
    learner, institution = pair
    await end(accounts, learner, institution, how)

    body = await gql(accounts, INSTITUTION_CONSENTS, token=institution.token)

    (consent,) = body["data"]["me"]["consents"]
    assert consent["active"] is False
    assert (consent["revokedAt"] is not None) is (how == "revoked")
    assert consent["learner"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["me", "consents", 0, "learner"], "FORBIDDEN")
    ]
    assert learner.email not in str(body)


async def test_an_institution_reads_the_learner_of_an_active_consent(accounts, pair):
    learner, institution = pair
    await grant(accounts, learner, institution)
    body = await gql(accounts, INSTITUTION_CONSENTS, token=institution.token)
    assert "errors" not in body, body
    (consent,) = body["data"]["me"]["consents"]
    assert consent["learner"]["email"] == learner.email
