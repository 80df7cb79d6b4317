"""Credits arrive from conversion, are redeemed by consented institutions, expire
and are revoked; every change is a ledger entry and the balance follows it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cbkit.jobs import run_once
from cbkit.testing import error_code, eventually, new_id
from services.accounts.tests.conftest import (
    REDEEM,
    balance,
    codes,
    consume,
    converted,
    gql,
    grant,
    heard,
    offer,
    revoked,
    today,
)

LEDGER = """query($id: ID!, $first: Int, $after: String) { account(id: $id) {
  ledger(first: $first, after: $after) { nextCursor entries {
    id kind credits courseCode conversionId occurredAt note
    institution { id displayName } } } } }"""


def _balance(available="0.0", redeemed="0.0", expired="0.0", earned="0.0"):
    return {"available": available, "redeemed": redeemed, "expired": expired, "earned": earned}


def _summary(entry):
    return entry["kind"], entry["credits"], entry["courseCode"]


async def _entries(accounts, person, first=50, after=None):
    variables = {"id": person.id, "first": first, "after": after}
    body = await gql(accounts, LEDGER, variables, person.token)
    assert "errors" not in body, body
    return body["data"]["account"]["ledger"]


@pytest.fixture
async def learner(people):
    return await people.learner()


@pytest.fixture
async def institution(people):
    return await people.staff("INSTITUTION", "Chongqing Normal University")


async def test_converted_credits_arrive_over_the_broker_once_however_often_told(
    accounts, bus, learner
):
    event = converted(learner.id, "PE-TRM-101", "2.5")
    await bus.resend(event)
    await bus.resend(event)
    await bus.resend(
        converted(learner.id, "PE-TRM-101", "2.5", conversion_id=event.data["conversionId"])
    )

    async def arrived() -> bool:
        return (await balance(accounts, learner))["available"] == "2.5"

    await eventually(arrived)
    await bus.resend(converted(learner.id, "PE-GAME-102", "1.0"))
    await eventually(lambda: _has_entries(accounts, learner, 2))
    assert await balance(accounts, learner) == _balance("3.5", earned="3.5")
    entries = (await _entries(accounts, learner))["entries"]
    assert [_summary(e) for e in entries] == [
        ("CONVERTED", "1.0", "PE-GAME-102"),
        ("CONVERTED", "2.5", "PE-TRM-101"),
    ]
    assert entries[1]["conversionId"] == event.data["conversionId"]


async def _has_entries(accounts, person, count) -> bool:
    return len((await _entries(accounts, person))["entries"]) == count


async def test_a_revocation_takes_back_what_the_learner_still_holds(accounts, learner):
    event = converted(learner.id, "PE-TRM-101", "2.0")
    await consume(accounts, event)
    await consume(accounts, revoked(event, "certificate withdrawn by its issuer"))
    await consume(accounts, revoked(event, "told twice"))

    entries = (await _entries(accounts, learner))["entries"]
    assert [(e["kind"], e["credits"], e["note"]) for e in entries] == [
        ("REVOKED", "-2.0", "certificate withdrawn by its issuer"),
        ("CONVERTED", "2.0", None),
    ]
    assert await balance(accounts, learner) == _balance()


async def test_a_revocation_before_its_conversion_leaves_nothing_to_post(accounts, learner):
    event = converted(learner.id, "PE-TRM-101", "2.0")
    await consume(accounts, revoked(event))
    await consume(accounts, event)
    assert (await _entries(accounts, learner))["entries"] == []
    assert await balance(accounts, learner) == _balance()


async def test_a_consented_institution_redeems_a_course_once(accounts, learner, institution, bus):
    conversion = converted(learner.id, "PE-TRM-101", "2.0")
    await consume(accounts, conversion)
    await consume(accounts, converted(learner.id, "PE-GAME-102", "1.5"))
    await grant(accounts, learner, institution)
    await offer(accounts, institution, "PE-TRM-101")

    body = await gql(
        accounts, REDEEM, {"learner": learner.id, "course": "pe-trm-101"}, institution.token
    )
    again = await gql(
        accounts, REDEEM, {"learner": learner.id, "course": "PE-TRM-101"}, institution.token
    )

    redemption = body["data"]["redeemCredits"]
    assert (redemption["courseCode"], redemption["credits"]) == ("PE-TRM-101", "2.0")
    assert redemption["learner"] == {"id": learner.id}
    assert redemption["institution"] == {"id": institution.id}
    assert codes(again) == ["CONFLICT"]
    assert (
        again["errors"][0]["message"] == "the credits for course PE-TRM-101 were already redeemed"
    )
    assert await balance(accounts, learner) == _balance("1.5", redeemed="2.0", earned="3.5")
    newest = (await _entries(accounts, learner))["entries"][0]
    assert _summary(newest) == ("REDEEMED", "-2.0", "PE-TRM-101")
    assert newest["institution"] == {
        "id": institution.id,
        "displayName": "Chongqing Normal University",
    }
    [event] = await heard(bus, "credits.redeemed", "redemptionId", redemption["id"])
    assert event.data == {
        "redemptionId": redemption["id"],
        "conversionId": conversion.data["conversionId"],
        "learnerId": learner.id,
        "institutionId": institution.id,
        "courseCode": "PE-TRM-101",
        "credits": "2.0",
        "redeemedAt": event.data["redeemedAt"],
    }


async def test_redeeming_what_is_absent_expired_or_revoked_says_why(accounts, learner, institution):
    past = (today(accounts) - timedelta(days=2)).isoformat()
    await consume(accounts, converted(learner.id, "OLD-101", "1.0", expires_on=past))
    gone = converted(learner.id, "GONE-101", "1.0")
    await consume(accounts, gone)
    await consume(accounts, revoked(gone))
    await grant(accounts, learner, institution)
    await offer(accounts, institution, "OLD-101", "GONE-101", "NONE-101")

    answers = {}
    for course in ("OLD-101", "GONE-101", "NONE-101"):
        body = await gql(
            accounts, REDEEM, {"learner": learner.id, "course": course}, institution.token
        )
        answers[course] = (codes(body), body["errors"][0]["message"])

    assert answers == {
        "OLD-101": (["CONFLICT"], "the credits for course OLD-101 have expired"),
        "GONE-101": (["CONFLICT"], "the credits for course GONE-101 were revoked"),
        "NONE-101": (["NOT_FOUND"], "the learner holds no credits for course NONE-101"),
    }
    assert await balance(accounts, learner) == _balance("1.0", earned="1.0")


async def test_only_an_institution_under_an_active_consent_redeems(
    accounts, learner, institution, people
):
    await consume(accounts, converted(learner.id, "PE-TRM-101", "2.0"))
    await offer(accounts, institution, "PE-TRM-101")
    variables = {"learner": learner.id, "course": "PE-TRM-101"}
    assert codes(await gql(accounts, REDEEM, variables, institution.token)) == ["FORBIDDEN"]
    for person in (learner, people.admin):
        assert codes(await gql(accounts, REDEEM, variables, person.token)) == ["FORBIDDEN"]
    unknown = {"learner": new_id(), "course": "PE-TRM-101"}
    assert codes(await gql(accounts, REDEEM, unknown, institution.token)) == ["FORBIDDEN"]
    nonsense = {"learner": "nonsense", "course": "PE-TRM-101"}
    assert codes(await gql(accounts, REDEEM, nonsense, institution.token)) == ["BAD_USER_INPUT"]
    assert await balance(accounts, learner) == _balance("2.0", earned="2.0")


async def test_the_expiry_job_expires_credits_past_their_date_once(accounts, learner, bus, people):
    past = (today(accounts) - timedelta(days=2)).isoformat()
    future = (today(accounts) + timedelta(days=30)).isoformat()
    old = converted(learner.id, "OLD-101", "1.0", expires_on=past)
    await consume(accounts, old)
    await consume(accounts, converted(learner.id, "NEW-101", "2.0", expires_on=future))

    expiry = accounts.runtime.spec.jobs(accounts.runtime.deps)[0]
    assert await run_once(accounts.runtime.pool, expiry)
    assert await run_once(accounts.runtime.pool, expiry)

    assert await balance(accounts, learner) == _balance("2.0", expired="1.0", earned="3.0")
    newest = (await _entries(accounts, learner))["entries"][0]
    assert _summary(newest) == ("EXPIRED", "-1.0", "OLD-101")
    assert newest["note"] == f"valid until {past}"
    [event] = await heard(bus, "credits.expired", "conversionId", old.data["conversionId"])
    assert (event.data["learnerId"], event.data["credits"]) == (learner.id, "1.0")
    # accounts publishes in order: once a later event arrived, a second expiry would have
    marker = await people.learner("Marker")
    await heard(bus, "account.opened", "accountId", marker.id)
    assert len(bus.heard_about("conversionId", old.data["conversionId"], "credits.expired")) == 1


async def test_the_ledger_pages_newest_first(accounts, learner):
    for n in range(5):
        await consume(accounts, converted(learner.id, f"C-{n}", "1.0"))
    pages, after = [], None
    while True:
        page = await _entries(accounts, learner, first=2, after=after)
        pages.append([e["courseCode"] for e in page["entries"]])
        if not (after := page["nextCursor"]):
            break
    assert pages == [["C-4", "C-3"], ["C-2", "C-1"], ["C-0"]]


@pytest.mark.parametrize(
    ("first", "after", "field"), [(0, None, "first"), (201, None, "first"), (2, "bogus", "after")]
)
async def test_a_bad_page_request_is_refused(accounts, learner, first, after, field):
    body = await gql(
        accounts, LEDGER, {"id": learner.id, "first": first, "after": after}, learner.token
    )
    assert codes(body) == ["BAD_USER_INPUT"]
    assert error_code(body) == ("BAD_USER_INPUT", field)
