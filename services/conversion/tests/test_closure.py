"""A learner's own data: `GET /privacy/export` (conversions with their rule version,
refusals with their code and reason in both languages, certificates), and a closed
account (`account.closed`): consents forgotten, figures kept by id for admins only,
nothing left to read for anyone else, and nothing converted any more."""

from datetime import UTC, datetime
from typing import Any

import orjson

from cbkit.auth import Role
from cbkit.envelope import Event
from cbkit.testing import error_code, gql, handled, new_id
from services.conversion.tests.conftest import (
    ACCOUNTS,
    Catalog,
    Credited,
    account_view,
    consent_to,
    credited_learner,
    learner,
)

EVERYTHING = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}]) {
  ... on Account { conversions { id } certificates { serial flagged flagReason }
  conversionsConnection { totalCount nodes { id } }
  certificatesConnection { totalCount nodes { serial } }
  conversionRefusals { totalCount nodes { code reason } } } } }"""
OUTCOME = """query($ids: [_Any!]!) { _entities(representations: $ids) { ... on Outcome {
  conversions { id } conversionRefusals { code } } } }"""
CONVERSION = """query($id: ID!) { _entities(representations: [{__typename: "Conversion", id: $id}])
  { ... on Conversion { id credits } } }"""
REVOKE = 'mutation($id: ID!) { revokeConversion(id: $id, reason: "forged by Zhang San") { id } }'
EMPTY_ACCOUNT = {
    "conversions": [],
    "certificates": [],
    "conversionsConnection": {"totalCount": 0, "nodes": []},
    "certificatesConnection": {"totalCount": 0, "nodes": []},
    "conversionRefusals": {"totalCount": 0, "nodes": []},
}
FAR = datetime(2099, 1, 1, tzinfo=UTC)


async def export(conversion, token: str | None) -> tuple[int, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await conversion.get("/privacy/export", headers=headers)
    body: dict[str, Any] = orjson.loads(response.content)
    return response.status_code, body


async def close(conversion, bus, account: str, role: str = "LEARNER") -> Event:
    data = {"accountId": account, "role": role, "closedAt": "2026-11-30T08:00:00Z"}
    event = await bus.send("account.closed", data, ACCOUNTS)
    await handled(conversion, event)
    return event


async def test_a_learner_exports_their_own_records(conversion, bus, admin, stack) -> None:
    credited = await credited_learner(conversion, bus, admin, stack)
    await handled(conversion, await bus.approve(credited.id, "CN-NOT-A-RULE"))
    status, body = await export(conversion, credited.token)
    assert status == 200
    assert (body["service"], body["learnerId"]) == ("conversion", credited.id)
    records = body["records"]
    [converted] = records["conversions"]
    assert converted["outcomeId"] == credited.converted.data["outcomeId"]
    assert (converted["ruleVersion"], converted["credits"], converted["status"]) == (
        1,
        "2.0",
        "ACTIVE",
    )
    refusals = {r["code"]: r for r in records["conversionRefusals"]}
    assert set(refusals) == {"ALREADY_CREDITED", "NO_RULE"}
    assert refusals["NO_RULE"]["reasonZh"] == "没有适用于证书 CN-NOT-A-RULE 的换算规则"
    assert refusals["NO_RULE"]["reasonEn"] == "no rule for credential CN-NOT-A-RULE"
    assert refusals["NO_RULE"]["courseCode"] is None
    assert refusals["ALREADY_CREDITED"]["ruleVersion"] == 1
    [certificate] = records["certificates"]
    assert certificate["serial"].startswith("CB-")

    _, other = await export(conversion, learner(stack)[1])
    assert other["records"] == {
        "conversions": [],
        "conversionRefusals": [],
        "certificates": [],
        "credentials": [],
    }
    anonymous, _ = await export(conversion, None)
    assert anonymous == 401
    as_admin, _ = await export(conversion, admin)
    assert as_admin == 403


async def closed_learner(conversion, bus, admin, stack) -> tuple[Credited, str, str, str]:
    """A credited learner with a revoked conversion (its reason quoting a name) and a
    consent to an institution, who then closes the account: the learner, the
    institution's token, the active and the revoked conversion's ids."""
    credited = await credited_learner(conversion, bus, admin, stack)
    catalog = Catalog(conversion, admin)
    _, credential = await catalog.course_with_rule("R", "1.0", await catalog.major())
    await handled(conversion, await bus.approve(credited.id, credential))
    found = await account_view(conversion, EVERYTHING, credited.id, credited.token)
    ids = [c["id"] for c in found["conversions"]]
    revoked = await gql(conversion, REVOKE, {"id": ids[0]}, admin)  # the programme's course
    assert "errors" not in revoked, revoked
    institution = new_id()
    await handled(conversion, await bus.grant(consent_to(credited.id, institution), FAR))
    university = stack.token(institution, Role.INSTITUTION)
    before = await account_view(conversion, EVERYTHING, credited.id, university)
    assert before["conversionsConnection"]["totalCount"] == 2
    assert "Zhang San" in before["certificates"][0]["flagReason"]
    await close(conversion, bus, credited.id)
    return credited, university, ids[1], ids[0]


async def test_a_closed_account_leaves_nothing_to_read_but_the_figures_for_admins(
    conversion, bus, admin, stack
) -> None:
    credited, university, active, _ = await closed_learner(conversion, bus, admin, stack)
    for token in (credited.token, university):
        assert await account_view(conversion, EVERYTHING, credited.id, token) == EMPTY_ACCOUNT
        outcomes = [
            {"__typename": "Outcome", "id": e.data["outcomeId"]}
            for e in (credited.converted, credited.declined)
        ]
        seen = await gql(conversion, OUTCOME, {"ids": outcomes}, token)
        assert seen["data"]["_entities"] == [
            {"conversions": [], "conversionRefusals": []},
            {"conversions": [], "conversionRefusals": []},
        ]
        by_key = await gql(conversion, CONVERSION, {"id": active}, token)
        assert by_key == {"data": {"_entities": [None]}}
    anonymous = await gql(conversion, EVERYTHING, {"id": credited.id})
    assert error_code(anonymous) == ("UNAUTHENTICATED", None)

    figures = await account_view(conversion, EVERYTHING, credited.id, admin)
    assert figures["conversionsConnection"]["totalCount"] == 2
    assert figures["conversionRefusals"]["nodes"] == [
        {"code": "ALREADY_CREDITED", "reason": "course already credited"}
    ]
    [certificate] = figures["certificates"]
    assert (certificate["flagged"], certificate["flagReason"]) == (True, None)
    by_key = await gql(conversion, CONVERSION, {"id": active}, admin)
    assert by_key["data"]["_entities"] == [{"id": active, "credits": "1.0"}]
    status, body = await export(conversion, credited.token)
    assert status == 200
    assert body["records"] == {
        "conversions": [],
        "conversionRefusals": [],
        "certificates": [],
        "credentials": [],
    }


async def test_a_closed_account_keeps_no_personal_text_and_no_consents(
    conversion, bus, admin, stack
) -> None:
    credited, _, _, revoked = await closed_learner(conversion, bus, admin, stack)
    async with conversion.runtime.pool.acquire() as conn:
        consents = await conn.fetchval(
            "SELECT count(*) FROM consents WHERE learner_id = $1::uuid", credited.id
        )
        reason = await conn.fetchval(
            "SELECT revoke_reason FROM conversions WHERE id = $1::uuid", revoked
        )
        status = await conn.fetchval("SELECT status FROM conversions WHERE id = $1::uuid", revoked)
    assert consents == 0
    assert reason is None
    assert status == "REVOKED"  # the figure stays


async def test_a_late_approval_of_a_closed_learner_converts_nothing(
    conversion, bus, admin, stack
) -> None:
    catalog = Catalog(conversion, admin)
    _, credential = await catalog.course_with_rule("1", "2.0", await catalog.major())
    account, _ = learner(stack)
    closed = await close(conversion, bus, account)
    late = await bus.approve(account, credential)
    await handled(conversion, late)
    await bus.resend(closed)  # a closure redelivered changes nothing either
    again = Event(closed.routing_key, closed.source, account, closed.data)
    await bus.resend(again)
    await handled(conversion, again)

    figures = await account_view(conversion, EVERYTHING, account, admin)
    assert figures == EMPTY_ACCOUNT
    assert bus.of("credits.converted", account) == []


async def test_an_institution_closing_its_account_leaves_no_consent_behind(
    conversion, bus, admin, stack
) -> None:
    credited = await credited_learner(conversion, bus, admin, stack)
    institution = new_id()
    await handled(conversion, await bus.grant(consent_to(credited.id, institution), FAR))
    university = stack.token(institution, Role.INSTITUTION)
    assert await account_view(conversion, EVERYTHING, credited.id, university)
    await close(conversion, bus, institution, role="INSTITUTION")

    refused = await gql(conversion, EVERYTHING, {"id": credited.id}, university)
    assert error_code(refused) == ("FORBIDDEN", None)
    mine = await account_view(conversion, EVERYTHING, credited.id, credited.token)
    assert mine["conversionsConnection"]["totalCount"] == 1  # the learner's stay
