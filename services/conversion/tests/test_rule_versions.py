"""Rules are versioned: an edit makes a new version in force from a day, and an
outcome decided on a day converts by the version in force that day."""

from datetime import UTC, datetime
from typing import Any

from cbkit.testing import error_code, gql, handled, new_id
from services.conversion.tests.conftest import Catalog, learner

EDIT = """mutation($id: ID!, $c: String!, $course: String!, $credits: Decimal!,
  $effective: Date) { upsertConversionRule(id: $id, credentialCode: $c, courseCode: $course,
  credits: $credits, validFrom: "2020-01-01", effectiveFrom: $effective)
  { id version effectiveFrom credits } }"""
RULES = """query($c: String!) { conversionRules(credentialCode: $c) { id version effectiveFrom
  credits versions { id version effectiveFrom credits } } }"""
CONVERSIONS = """query($id: ID!) { _entities(representations: [{__typename: "Account",
  id: $id}]) { ... on Account { conversions { credits course { code } } } } }"""


async def edit(conversion, admin, **variables: Any) -> dict[str, Any]:
    return await gql(conversion, EDIT, variables, admin)


async def test_an_edit_makes_a_version_in_force_from_a_day(conversion, admin, clock) -> None:
    clock.frozen_at = datetime(2026, 3, 10, 20, 0, tzinfo=UTC)  # 11 March in Shanghai
    catalog = Catalog(conversion, admin)
    course = await catalog.course("C", "3.0", await catalog.major())
    credential = await catalog.credential("CERT")
    rule_id = await catalog.rule(course, "1.0", credential=credential)
    ids = {"id": rule_id, "c": credential, "course": course}

    changed = await edit(conversion, admin, **ids, credits="2.0", effective="2025-01-01")
    assert changed["data"]["upsertConversionRule"] == {
        "id": rule_id,
        "version": 2,
        "effectiveFrom": "2025-01-01",
        "credits": "2.0",
    }
    before = await edit(conversion, admin, **ids, credits="3.0", effective="2024-12-31")
    assert error_code(before) == ("BAD_USER_INPUT", "effectiveFrom")
    assert "2025-01-01" in before["errors"][0]["message"]

    today = await edit(conversion, admin, **ids, credits="3.0")
    assert today["data"]["upsertConversionRule"]["version"] == 3
    assert today["data"]["upsertConversionRule"]["effectiveFrom"] == clock.today().isoformat()
    same = await edit(conversion, admin, **ids, credits="3.0")  # changes nothing
    assert same["data"]["upsertConversionRule"]["version"] == 3

    listed = (await gql(conversion, RULES, {"c": credential}))["data"]["conversionRules"]
    assert [(r["version"], r["credits"]) for r in listed] == [(3, "3.0")]
    assert [(v["version"], v["effectiveFrom"], v["credits"]) for v in listed[0]["versions"]] == [
        (1, "2020-01-01", "1.0"),
        (2, "2025-01-01", "2.0"),
        (3, clock.today().isoformat(), "3.0"),
    ]
    assert {v["id"] for v in listed[0]["versions"]} == {rule_id}


async def test_a_new_rule_takes_no_effective_day_and_an_unknown_one_is_not_found(
    conversion, admin
) -> None:
    catalog = Catalog(conversion, admin)
    course = await catalog.course("C", "3.0", await catalog.major())
    credential = await catalog.credential("CERT")
    create = """mutation($c: String!, $course: String!) { upsertConversionRule(
      credentialCode: $c, courseCode: $course, credits: "1.0", validFrom: "2020-01-01",
      effectiveFrom: "2021-01-01") { id } }"""
    refused = await gql(conversion, create, {"c": credential, "course": course}, admin)
    assert error_code(refused) == ("BAD_USER_INPUT", "effectiveFrom")
    unknown = await edit(conversion, admin, id=new_id(), c=credential, course=course, credits="1")
    assert error_code(unknown) == ("NOT_FOUND", "id")
    listed = (await gql(conversion, RULES, {"c": credential}))["data"]["conversionRules"]
    assert listed == []


async def test_outcomes_convert_by_the_version_in_force_on_their_decision_day(
    conversion, bus, admin, stack
) -> None:
    catalog = Catalog(conversion, admin)
    course, credential, rule_id = await catalog.credential_rule("3.0", "1.0")
    await edit(
        conversion,
        admin,
        id=rule_id,
        c=credential,
        course=course,
        credits="2.5",
        effective="2025-07-01",
    )
    # 30 June 2025 16:30 UTC is already 1 July in the bank's zone (Asia/Shanghai)
    decisions = {
        "1.0": datetime(2025, 6, 30, 15, 30, tzinfo=UTC),
        "2.5": datetime(2025, 6, 30, 16, 30, tzinfo=UTC),
    }
    for credits, decided_at in decisions.items():
        account, token = learner(stack)
        event = await bus.approve(
            account, credential, achieved_on="2025-06-01", decided_at=decided_at
        )
        await handled(conversion, event)
        found = await gql(conversion, CONVERSIONS, {"id": account}, token)
        assert found["data"]["_entities"][0]["conversions"] == [
            {"credits": credits, "course": {"code": course}}
        ], decided_at
