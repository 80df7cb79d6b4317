"""A learner downloads what accounts holds about them (`GET /privacy/export`): profile,
balance, consents, credits, ledger entries, redemptions and sessions; never another
learner's records, never a token."""

from __future__ import annotations

from typing import Any

import pytest

from services.accounts.tests.conftest import (
    PASSWORD,
    REDEEM,
    Person,
    consume,
    converted,
    gql,
    grant,
    offer,
)

LOGIN = """mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { refreshToken } }"""


async def export(accounts, person: Person | None, **headers: str) -> Any:
    if person is not None:
        headers["Authorization"] = f"Bearer {person.token}"
    return await accounts.get("/privacy/export", headers=headers)


@pytest.fixture
async def scene(accounts, people):
    """Two learners with credits; the first has a consent, a redemption and a session."""
    learner, other = await people.learner("Sun Li"), await people.learner("Ma Jun")
    institution = await people.staff("INSTITUTION", "Export University")
    course = f"EX-{learner.id[:6]}"
    mine = [converted(learner.id, course, "2.0"), converted(learner.id, "KEEP-1", "1.5")]
    theirs = converted(other.id, course, "3.0")
    for event in (*mine, theirs):
        await consume(accounts, event)
    consent = await grant(accounts, learner, institution)
    await offer(accounts, institution, course)
    body = await gql(accounts, REDEEM, {"learner": learner.id, "course": course}, institution.token)
    redemption = body["data"]["redeemCredits"]["id"]
    body = await gql(accounts, LOGIN, {"email": learner.email, "password": PASSWORD})
    refresh_token = body["data"]["login"]["refreshToken"]
    return learner, other, institution, mine, theirs, consent, redemption, refresh_token


async def test_a_learner_downloads_their_own_records(accounts, scene):
    learner, other, institution, mine, theirs, consent, redemption, refresh_token = scene

    response = await export(accounts, learner)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert (body["service"], body["learnerId"]) == ("accounts", learner.id)
    records = body["records"]
    [profile] = records["profile"]
    assert (profile["id"], profile["email"]) == (learner.id, learner.email)
    assert (profile["displayName"], profile["role"]) == ("Sun Li", "LEARNER")
    assert records["balance"] == [
        {"available": "1.5", "redeemed": "2.0", "expired": "0.0", "earned": "3.5"}
    ]
    [granted] = records["consents"]
    assert (granted["id"], granted["institutionId"]) == (consent, institution.id)
    assert granted["institutionName"] == "Export University"
    conversions = {e.data["conversionId"] for e in mine}
    assert {c["conversionId"] for c in records["credits"]} == conversions
    kinds = sorted((e["kind"], e["credits"]) for e in records["ledgerEntries"])
    assert kinds == [("CONVERTED", "1.5"), ("CONVERTED", "2.0"), ("REDEEMED", "-2.0")]
    assert {e["learnerId"] for e in records["ledgerEntries"]} == {learner.id}
    [redeemed] = records["redemptions"]
    assert (redeemed["id"], redeemed["institutionId"]) == (redemption, institution.id)
    # opening the account and the sign-in of the scene: two sessions
    assert len(records["sessions"]) == 2
    assert all(s["startedAt"] and s["expiresAt"] for s in records["sessions"])

    text = response.text
    assert other.id not in text and theirs.data["conversionId"] not in text
    assert refresh_token not in text
    assert "hash" not in text.lower() and "password" not in text.lower()


async def test_only_a_signed_in_learner_exports(accounts, scene):
    institution = scene[2]
    anonymous = await export(accounts, None)
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "UNAUTHENTICATED"
    staff = await export(accounts, institution, **{"Accept-Language": "zh-CN"})
    assert staff.status_code == 403
    assert staff.json() == {
        "error": "只有 LEARNER 账户可以执行此操作",
        "code": "FORBIDDEN",
        "field": None,
    }
