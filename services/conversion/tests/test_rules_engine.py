"""The rules engine over the real broker: what converts, what is refused and why."""

from datetime import UTC, datetime

from cbkit.envelope import Event
from cbkit.testing import error_code, eventually, gql, handled, new_id
from services.conversion.tests.conftest import ACCOUNTS, Catalog, account_view, learner

OUTCOMES = """query($ids: [_Any!]!) { _entities(representations: $ids) { ... on Outcome {
  id conversions { id credits status course { code } rule { id } }
  conversionRefusals { code reason course { code } outcome { id } } } } }"""
ACCOUNT = """query($id: ID!) { _entities(representations: [{__typename: "Account",
  id: $id}]) { ... on Account { certificates { serial flagged flagReason }
  conversions { id status } } } }"""
REVOKE = """mutation($id: ID!, $r: String!) { revokeConversion(id: $id, reason: $r)
  { id status course { code } } }"""


async def outcome_view(conversion, token, *events):
    ids = [{"__typename": "Outcome", "id": e.data["outcomeId"]} for e in events]
    found = await gql(conversion, OUTCOMES, {"ids": ids}, token)
    assert "errors" not in found, found
    return found["data"]["_entities"]


async def settle(conversion, token, *events) -> list:
    """Wait until the service has handled each approval; the views of their outcomes."""
    for event in events:
        await handled(conversion, event)
    return await outcome_view(conversion, token, *events)


async def two_courses(conversion, admin) -> tuple[Catalog, list[tuple[str, str]]]:
    """A catalog with two courses of 2.0 credits, each earned by a credential of its own."""
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    return catalog, [await catalog.course_with_rule(n, "2.0", major) for n in ("1", "2")]


async def test_a_course_is_credited_once_whatever_proves_it(conversion, bus, admin, stack) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    course = await catalog.course("C", "4.0", major)
    first, second = await catalog.credential("A"), await catalog.credential("B")
    rule = await catalog.rule(course, "4.0", credential=first)
    await catalog.rule(course, "3.0", credential=second)
    account, token = learner(stack)

    a = await bus.approve(account, first)
    [view] = await settle(conversion, token, a)
    assert [(c["course"]["code"], c["credits"], c["rule"]["id"]) for c in view["conversions"]] == [
        (course, "4.0", rule)
    ]
    b = await bus.approve(account, second)
    [view] = await settle(conversion, token, b)
    assert view["conversions"] == []
    assert view["conversionRefusals"] == [
        {
            "code": "ALREADY_CREDITED",
            "reason": "course already credited",
            "course": {"code": course},
            "outcome": {"id": b.data["outcomeId"]},
        }
    ]


async def test_a_rule_counts_only_on_its_validity_window(conversion, bus, admin, stack) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    course = await catalog.course("C", "2.0", major)
    credential = await catalog.credential("A")
    await catalog.rule(course, "2.0", credential=credential, **{"from": "2020-01-01"})
    account, token = learner(stack)

    early = await bus.approve(account, credential, achieved_on="2019-05-01")
    [view] = await settle(conversion, token, early)
    assert view["conversions"] == []
    assert [(r["code"], r["reason"]) for r in view["conversionRefusals"]] == [
        ("NOT_VALID_ON", "rule not valid on 2019-05-01 (valid from 2020-01-01)")
    ]

    in_window = await bus.approve(account, credential, achieved_on="2020-01-01")
    [view] = await settle(conversion, token, in_window)
    assert [c["credits"] for c in view["conversions"]] == ["2.0"]


async def test_kind_rules_need_their_minimum_hours(conversion, bus, admin, stack) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    course = await catalog.course("C", "1.5", major)
    # an outcome kind of its own so other tests' kind rules stay out of the way
    await catalog.rule(course, "1.5", credential=None, kind="WORK_EXPERIENCE", minHours=400)
    account, token = learner(stack)

    short = await bus.approve(account, None, kind="WORK_EXPERIENCE", hours=120)
    [view] = await settle(conversion, token, short)
    reasons = {r["course"]["code"]: (r["code"], r["reason"]) for r in view["conversionRefusals"]}
    assert reasons[course] == ("BELOW_MIN_HOURS", "work experience of 120 h; rules need 400 h")

    enough = await bus.approve(account, None, kind="WORK_EXPERIENCE", hours=400)
    [view] = await settle(conversion, token, enough)
    assert course in [c["course"]["code"] for c in view["conversions"]]


async def test_the_annual_cap_refuses_or_grants_what_is_left(conversion, bus, admin, stack) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    courses = [await catalog.course(f"C{i}", "20.0", major) for i in range(4)]
    creds = [await catalog.credential(f"A{i}") for i in range(4)]
    for course, credential in zip(courses[:3], creds[:3], strict=True):
        await catalog.rule(course, "20.0", credential=credential)
    await catalog.rule(courses[3], "20.0", credential=creds[3], partial=True)
    account, token = learner(stack)
    when = datetime(2025, 5, 1, tzinfo=UTC)

    events = [await bus.approve(account, c, decided_at=when) for c in creds[:2]]
    await settle(conversion, token, *events)  # 40 of 42 credits in 2025

    refused = await bus.approve(account, creds[2], decided_at=when)
    [view] = await settle(conversion, token, refused)
    assert view["conversions"] == []
    assert [(r["code"], r["reason"]) for r in view["conversionRefusals"]] == [
        ("ANNUAL_CAP", "annual cap of 42.0 credits for 2025 reached")
    ]

    partial = await bus.approve(account, creds[3], decided_at=when)
    [view] = await settle(conversion, token, partial)
    assert [c["credits"] for c in view["conversions"]] == ["2.0"]
    assert [(r["code"], r["reason"]) for r in view["conversionRefusals"]] == [
        ("PARTIAL", "granted 2.0 of 20.0 credits (annual cap of 42.0 credits for 2025 reached)")
    ]

    next_year = await bus.approve(account, creds[2], decided_at=datetime(2026, 1, 2, tzinfo=UTC))
    [view] = await settle(conversion, token, next_year)
    assert [c["credits"] for c in view["conversions"]] == ["20.0"]


async def test_the_major_cap_limits_credits_from_credentials(conversion, bus, admin, stack) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major(cap="5.0")
    _, a = await catalog.course_with_rule("1", "3.0", major)
    _, b = await catalog.course_with_rule("2", "3.0", major)
    account, token = learner(stack)

    await settle(conversion, token, await bus.approve(account, a))
    over = await bus.approve(account, b)
    [view] = await settle(conversion, token, over)
    assert view["conversions"] == []
    assert [(r["code"], r["reason"]) for r in view["conversionRefusals"]] == [
        ("MAJOR_CAP", f"major cap of 5.0 credits for {major} reached")
    ]


async def test_a_redelivered_approval_produces_nothing_new(conversion, bus, admin, stack) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    _, credential = await catalog.course_with_rule("1", "2.0", major)
    account, token = learner(stack)

    event = await bus.approve(account, credential)
    [before] = await settle(conversion, token, event)

    async def converted_once() -> bool:
        return len(bus.of("credits.converted", account)) == 1

    await eventually(converted_once)
    await bus.resend(event)  # the same message again
    again = Event(event.routing_key, event.source, event.subject, event.data)  # a new event id
    await bus.resend(again)
    # one learner's events are handled in the order they arrive: after the two above
    marker = await bus.approve(account, credential)
    await handled(conversion, marker)

    [after] = await outcome_view(conversion, token, event)
    assert after == before
    assert len(bus.of("credits.converted", account)) == 1


async def test_revoking_a_conversion_flags_the_certificate_it_carried(
    conversion, bus, admin, stack
) -> None:
    catalog, [(c1, a), (c2, b)] = await two_courses(conversion, admin)
    await catalog.program("P", [c1, c2])
    account, token = learner(stack)
    views = await settle(
        conversion, token, await bus.approve(account, a), await bus.approve(account, b)
    )
    converted = views[0]["conversions"][0]["id"]
    [certificate] = (await account_view(conversion, ACCOUNT, account, token))["certificates"]
    assert certificate["flagged"] is False

    as_learner = await gql(conversion, REVOKE, {"id": converted, "r": "forged"}, token)
    assert error_code(as_learner)[0] == "FORBIDDEN"
    blank = await gql(conversion, REVOKE, {"id": converted, "r": "  "}, admin)
    assert error_code(blank)[1] == "reason"

    revoked = await gql(conversion, REVOKE, {"id": converted, "r": "forged certificate"}, admin)
    assert revoked["data"]["revokeConversion"] == {
        "id": converted,
        "status": "REVOKED",
        "course": {"code": c1},
    }
    again = await gql(conversion, REVOKE, {"id": converted, "r": "forged certificate"}, admin)
    assert error_code(again) == ("CONFLICT", "id")
    unknown = await gql(conversion, REVOKE, {"id": new_id(), "r": "x"}, admin)
    assert error_code(unknown) == ("NOT_FOUND", "id")

    [certificate] = (await account_view(conversion, ACCOUNT, account, token))["certificates"]
    assert certificate["flagged"] is True
    assert c1 in certificate["flagReason"] and "forged certificate" in certificate["flagReason"]

    async def published() -> bool:
        return len(bus.of("credits.revoked", account)) == 1

    await eventually(published)
    [sent] = bus.of("credits.revoked", account)
    assert sent["conversionId"] == converted
    assert sent["credits"] == "2.0"
    assert sent["reason"] == "forged certificate"


async def test_redeemed_and_expired_credits_show_their_status(
    conversion, bus, admin, stack
) -> None:
    _, [(c1, a), (c2, b)] = await two_courses(conversion, admin)
    account, token = learner(stack)
    events = [await bus.approve(account, a), await bus.approve(account, b)]
    views = await settle(conversion, token, *events)
    redeemed, expired = views[0]["conversions"][0], views[1]["conversions"][0]
    now = datetime.now(UTC).isoformat()
    redemption = {
        "redemptionId": new_id(),
        "conversionId": redeemed["id"],
        "learnerId": account,
        "institutionId": new_id(),
        "courseCode": c1,
        "credits": "2.0",
        "redeemedAt": now,
    }
    expiry = {
        "conversionId": expired["id"],
        "learnerId": account,
        "courseCode": c2,
        "credits": "2.0",
        "expiredAt": now,
    }
    await handled(conversion, await bus.send("credits.redeemed", redemption, ACCOUNTS))
    await handled(conversion, await bus.send("credits.expired", expiry, ACCOUNTS))

    views = await outcome_view(conversion, token, *events)
    assert [v["conversions"][0]["status"] for v in views] == ["REDEEMED", "EXPIRED"]
