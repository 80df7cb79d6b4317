"""The rules engine over the real broker: what converts, what is refused and why."""

import asyncio
import uuid
from datetime import UTC, datetime

from cbkit.auth import Role
from cbkit.envelope import Event
from cbkit.testing import eventually
from services.conversion.tests.conftest import Catalog, approved, gql

OUTCOMES = """query($ids: [_Any!]!) { _entities(representations: $ids) { ... on Outcome {
  id conversions { id credits status course { code } rule { id } }
  conversionRefusals { reason course { code } outcome { id } } } } }"""


async def outcome_view(service, token, *events):
    ids = [{"__typename": "Outcome", "id": e.data["outcomeId"]} for e in events]
    found = await gql(service, OUTCOMES, {"ids": ids}, token)
    assert "errors" not in found, found
    return found["data"]["_entities"]


async def settle(service, token, *events) -> list:
    """Wait until each outcome has a conversion or a refusal; return their views."""

    async def done() -> bool:
        views = await outcome_view(service, token, *events)
        return all(v["conversions"] or v["conversionRefusals"] for v in views)

    await eventually(done)
    return await outcome_view(service, token, *events)


def learner(stack) -> tuple[str, str]:
    account = str(uuid.uuid4())
    return account, stack.token(account, Role.LEARNER)


async def test_a_course_is_credited_once_whatever_proves_it(service, bus, admin, stack) -> None:
    catalog = Catalog(service, admin)
    major = await catalog.major()
    course = await catalog.course("C", "4.0", major)
    first, second = await catalog.credential("A"), await catalog.credential("B")
    rule = await catalog.rule(course, "4.0", credential=first)
    await catalog.rule(course, "3.0", credential=second)
    account, token = learner(stack)

    a = approved(account, first)
    await bus.send(a)
    [view] = await settle(service, token, a)
    assert [(c["course"]["code"], c["credits"], c["rule"]["id"]) for c in view["conversions"]] == [
        (course, "4.0", rule)
    ]
    b = approved(account, second)
    await bus.send(b)
    [view] = await settle(service, token, b)
    assert view["conversions"] == []
    assert view["conversionRefusals"] == [
        {
            "reason": "course already credited",
            "course": {"code": course},
            "outcome": {"id": b.data["outcomeId"]},
        }
    ]


async def test_a_rule_counts_only_on_its_validity_window(service, bus, admin, stack) -> None:
    catalog = Catalog(service, admin)
    major = await catalog.major()
    course = await catalog.course("C", "2.0", major)
    credential = await catalog.credential("A")
    await catalog.rule(course, "2.0", credential=credential, **{"from": "2020-01-01"})
    account, token = learner(stack)

    early = approved(account, credential, achieved_on="2019-05-01")
    await bus.send(early)
    [view] = await settle(service, token, early)
    assert view["conversions"] == []
    assert [r["reason"] for r in view["conversionRefusals"]] == ["rule not valid on 2019-05-01"]

    in_window = approved(account, credential, achieved_on="2020-01-01")
    await bus.send(in_window)
    [view] = await settle(service, token, in_window)
    assert [c["credits"] for c in view["conversions"]] == ["2.0"]


async def test_kind_rules_need_their_minimum_hours(service, bus, admin, stack) -> None:
    catalog = Catalog(service, admin)
    major = await catalog.major()
    course = await catalog.course("C", "1.5", major)
    # an outcome kind of its own so other tests' kind rules stay out of the way
    await catalog.rule(course, "1.5", credential=None, kind="WORK_EXPERIENCE", minHours=400)
    account, token = learner(stack)

    short = approved(account, None, kind="WORK_EXPERIENCE", hours=120)
    await bus.send(short)
    [view] = await settle(service, token, short)
    reasons = {r["course"]["code"]: r["reason"] for r in view["conversionRefusals"]}
    assert reasons[course] == "needs at least 400 hours, the outcome has 120"

    enough = approved(account, None, kind="WORK_EXPERIENCE", hours=400)
    await bus.send(enough)
    [view] = await settle(service, token, enough)
    assert course in [c["course"]["code"] for c in view["conversions"]]


async def test_the_annual_cap_refuses_or_grants_what_is_left(service, bus, admin, stack) -> None:
    catalog = Catalog(service, admin)
    major = await catalog.major()
    courses = [await catalog.course(f"C{i}", "20.0", major) for i in range(4)]
    creds = [await catalog.credential(f"A{i}") for i in range(4)]
    for course, credential in zip(courses[:3], creds[:3], strict=True):
        await catalog.rule(course, "20.0", credential=credential)
    await catalog.rule(courses[3], "20.0", credential=creds[3], partial=True)
    account, token = learner(stack)
    when = datetime(2025, 5, 1, tzinfo=UTC)

    events = [approved(account, c, decided_at=when) for c in creds[:2]]
    for event in events:
        await bus.send(event)
    await settle(service, token, *events)  # 40 of 42 credits in 2025

    refused = approved(account, creds[2], decided_at=when)
    await bus.send(refused)
    [view] = await settle(service, token, refused)
    assert view["conversions"] == []
    assert [r["reason"] for r in view["conversionRefusals"]] == ["annual cap reached"]

    partial = approved(account, creds[3], decided_at=when)
    await bus.send(partial)
    [view] = await settle(service, token, partial)
    assert [c["credits"] for c in view["conversions"]] == ["2.0"]
    assert [r["reason"] for r in view["conversionRefusals"]] == [
        "annual cap reached: granted 2.0 of 20.0 credits"
    ]

    next_year = approved(account, creds[2], decided_at=datetime(2026, 1, 2, tzinfo=UTC))
    await bus.send(next_year)
    [view] = await settle(service, token, next_year)
    assert [c["credits"] for c in view["conversions"]] == ["20.0"]


async def test_the_major_cap_limits_credits_from_credentials(service, bus, admin, stack) -> None:
    catalog = Catalog(service, admin)
    major = await catalog.major(cap="5.0")
    first, second = (
        await catalog.course("C1", "3.0", major),
        await catalog.course("C2", "3.0", major),
    )
    a, b = await catalog.credential("A"), await catalog.credential("B")
    await catalog.rule(first, "3.0", credential=a)
    await catalog.rule(second, "3.0", credential=b)
    account, token = learner(stack)

    ok = approved(account, a)
    await bus.send(ok)
    await settle(service, token, ok)
    over = approved(account, b)
    await bus.send(over)
    [view] = await settle(service, token, over)
    assert view["conversions"] == []
    assert [r["reason"] for r in view["conversionRefusals"]] == [f"major cap reached for {major}"]


async def test_a_redelivered_approval_produces_nothing_new(service, bus, admin, stack) -> None:
    catalog = Catalog(service, admin)
    major = await catalog.major()
    course = await catalog.course("C", "2.0", major)
    credential = await catalog.credential("A")
    await catalog.rule(course, "2.0", credential=credential)
    account, token = learner(stack)

    event = approved(account, credential)
    await bus.send(event)
    [before] = await settle(service, token, event)
    await eventually(lambda: _count(bus, account, 1))

    await bus.send(event)  # the same message again
    again = Event(event.routing_key, event.source, event.subject, event.data)  # a new event id
    await bus.send(again)
    marker = approved(account, credential)  # processed after the two above on one queue
    await bus.send(marker)
    await settle(service, token, marker)
    await asyncio.sleep(0.5)  # deliveries run concurrently: give the duplicates their turn

    [after] = await outcome_view(service, token, event)
    assert after == before
    assert len(bus.of("credits.converted", account)) == 1


async def _count(bus, account: str, n: int) -> bool:
    return len(bus.of("credits.converted", account)) == n


async def test_revoking_a_conversion_flags_the_certificate_it_carried(
    service, bus, admin, stack
) -> None:
    catalog = Catalog(service, admin)
    major = await catalog.major()
    c1, c2 = await catalog.course("C1", "2.0", major), await catalog.course("C2", "2.0", major)
    a, b = await catalog.credential("A"), await catalog.credential("B")
    await catalog.rule(c1, "2.0", credential=a)
    await catalog.rule(c2, "2.0", credential=b)
    await catalog.run(
        """mutation($code: String!, $courses: [String!]!) { upsertCertificateProgram(
        code: $code, name: "Both", requiredCourseCodes: $courses) { code } }""",
        code=catalog.code("P"),
        courses=[c1, c2],
    )
    account, token = learner(stack)
    events = [approved(account, a), approved(account, b)]
    for event in events:
        await bus.send(event)
    views = await settle(service, token, *events)
    conversion = views[0]["conversions"][0]["id"]
    certificates = """query($id: ID!) { _entities(representations: [{__typename: "Account",
      id: $id}]) { ... on Account { certificates { serial flagged flagReason }
      conversions { id status } } } }"""

    async def awarded() -> bool:
        found = await gql(service, certificates, {"id": account}, token)
        return len(found["data"]["_entities"][0]["certificates"]) == 1

    await eventually(awarded)
    revoke = """mutation($id: ID!, $r: String!) { revokeConversion(id: $id, reason: $r)
      { id status course { code } } }"""
    as_learner = await gql(service, revoke, {"id": conversion, "r": "forged"}, token)
    assert as_learner["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    blank = await gql(service, revoke, {"id": conversion, "r": "  "}, admin)
    assert blank["errors"][0]["extensions"]["field"] == "reason"

    revoked = await gql(service, revoke, {"id": conversion, "r": "forged certificate"}, admin)
    assert revoked["data"]["revokeConversion"] == {
        "id": conversion,
        "status": "REVOKED",
        "course": {"code": c1},
    }
    again = await gql(service, revoke, {"id": conversion, "r": "forged certificate"}, admin)
    assert again["errors"][0]["extensions"] == {"code": "CONFLICT", "field": "id"}
    unknown = await gql(service, revoke, {"id": str(uuid.uuid4()), "r": "x"}, admin)
    assert unknown["errors"][0]["extensions"] == {"code": "NOT_FOUND", "field": "id"}

    account_view = (await gql(service, certificates, {"id": account}, token))["data"]
    [certificate] = account_view["_entities"][0]["certificates"]
    assert certificate["flagged"] is True
    assert c1 in certificate["flagReason"] and "forged certificate" in certificate["flagReason"]

    async def published() -> bool:
        return len(bus.of("credits.revoked", account)) == 1

    await eventually(published)
    [sent] = bus.of("credits.revoked", account)
    assert sent["conversionId"] == conversion
    assert sent["credits"] == "2.0"
    assert sent["reason"] == "forged certificate"


async def test_redeemed_and_expired_credits_show_their_status(service, bus, admin, stack) -> None:
    catalog = Catalog(service, admin)
    major = await catalog.major()
    c1, c2 = await catalog.course("C1", "2.0", major), await catalog.course("C2", "2.0", major)
    a, b = await catalog.credential("A"), await catalog.credential("B")
    await catalog.rule(c1, "2.0", credential=a)
    await catalog.rule(c2, "2.0", credential=b)
    account, token = learner(stack)
    events = [approved(account, a), approved(account, b)]
    for event in events:
        await bus.send(event)
    views = await settle(service, token, *events)
    redeemed, expired = views[0]["conversions"][0], views[1]["conversions"][0]
    now = datetime.now(UTC).isoformat()
    await bus.send(
        Event(
            "credits.redeemed",
            "/services/accounts",
            account,
            {
                "redemptionId": str(uuid.uuid4()),
                "conversionId": redeemed["id"],
                "learnerId": account,
                "institutionId": str(uuid.uuid4()),
                "courseCode": c1,
                "credits": "2.0",
                "redeemedAt": now,
            },
        )
    )
    await bus.send(
        Event(
            "credits.expired",
            "/services/accounts",
            account,
            {
                "conversionId": expired["id"],
                "learnerId": account,
                "courseCode": c2,
                "credits": "2.0",
                "expiredAt": now,
            },
        )
    )

    async def statuses() -> bool:
        views = await outcome_view(service, token, *events)
        return [v["conversions"][0]["status"] for v in views] == ["REDEEMED", "EXPIRED"]

    await eventually(statuses)
