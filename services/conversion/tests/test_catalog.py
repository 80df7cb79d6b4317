"""The catalog: public to read, admin-only to change, every bad edit refused by field."""

from typing import Any

import pytest

from cbkit.auth import Role
from cbkit.testing import error_code, gql, new_id
from services.conversion.tests.conftest import (
    UPSERT_COURSE,
    UPSERT_MAJOR,
    UPSERT_PROGRAM,
    UPSERT_RULE,
    Catalog,
)

RULES = """query($credential: String, $major: String) {
  conversionRules(credentialCode: $credential, majorCode: $major)
  { id credentialCode credits validFrom validUntil course { code major { code } } } }"""


async def test_only_an_admin_changes_the_catalog(conversion, stack) -> None:
    variables = {"code": "NOT-ALLOWED", "name": "Nope", "cap": None}
    anonymous = await gql(conversion, UPSERT_MAJOR, variables)
    assert error_code(anonymous)[0] == "UNAUTHENTICATED"
    for role in (Role.LEARNER, Role.REVIEWER, Role.INSTITUTION):
        refused = await gql(conversion, UPSERT_MAJOR, variables, stack.token(new_id(), role))
        assert error_code(refused)[0] == "FORBIDDEN"
    majors = (await gql(conversion, "{ majors { code } }"))["data"]["majors"]
    assert "NOT-ALLOWED" not in [m["code"] for m in majors]


@pytest.mark.parametrize(
    ("credits", "message"),
    [("0", "must be positive"), ("-1.0", "must be positive"), ("2.55", "at most one decimal")],
)
async def test_course_credits_are_positive_with_one_decimal_at_most(
    conversion, admin, credits, message
) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    refused = await gql(
        conversion,
        UPSERT_COURSE,
        {"code": catalog.code("C"), "name": "C", "credits": credits, "major": major},
        admin,
    )
    [error] = refused["errors"]
    assert error_code(refused) == ("BAD_USER_INPUT", "credits")
    assert message in error["message"]
    courses = await gql(
        conversion,
        "query($c: String!) { _entities(representations: "
        '[{__typename: "Course", code: $c}]) { ... on Course { code } } }',
        {"c": catalog.code("C")},
    )
    assert courses["data"]["_entities"] == [None]


async def test_a_course_needs_a_known_major(conversion, admin) -> None:
    refused = await gql(
        conversion,
        UPSERT_COURSE,
        {"code": "ORPHAN", "name": "Orphan", "credits": "2.0", "major": "NO-SUCH-MAJOR"},
        admin,
    )
    assert error_code(refused)[1] == "majorCode"
    assert "NO-SUCH-MAJOR" in refused["errors"][0]["message"]


async def test_rules_are_checked_before_they_are_kept(conversion, admin) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    course = await catalog.course("C1", "3.0", major)
    credential = await catalog.credential("CERT")
    good = {"credential": credential, "course": course, "credits": "2.0", "from": "2020-01-01"}
    cases: list[tuple[dict[str, Any], str]] = [
        ({"until": "2019-12-31"}, "validUntil"),
        ({"until": "2020-01-01"}, "validUntil"),
        ({"credential": "NO-SUCH-CERT"}, "credentialCode"),
        ({"course": "NO-SUCH-COURSE"}, "courseCode"),
        ({"credits": "0.25"}, "credits"),
        ({"credits": "4.0"}, "credits"),  # more than the course is worth
        ({"credential": None}, "credentialCode"),  # neither credential nor kind
        ({"years": 0}, "creditValidityYears"),
        ({"credential": None, "kind": "ONLINE_COURSE", "minHours": 0}, "minHours"),
    ]
    for change, field in cases:
        refused = await gql(conversion, UPSERT_RULE, {**good, **change}, admin)
        assert error_code(refused)[1] == field, (change, refused)
    kept = await gql(conversion, RULES, {"major": major})
    assert kept["data"]["conversionRules"] == []

    created = await gql(conversion, UPSERT_RULE, {**good, "until": "2030-12-31"}, admin)
    rule = created["data"]["upsertConversionRule"]
    assert rule["credits"] == "2.0"
    assert rule["validUntil"] == "2030-12-31"
    listed = await gql(conversion, RULES, {"credential": credential.lower()})
    assert [r["id"] for r in listed["data"]["conversionRules"]] == [rule["id"]]
    assert listed["data"]["conversionRules"][0]["course"]["major"]["code"] == major


async def test_an_existing_rule_is_updated_by_id_and_an_unknown_id_is_refused(
    conversion, admin
) -> None:
    catalog = Catalog(conversion, admin)
    course, credential, rule_id = await catalog.credential_rule("3.0", "1.0")
    update = """mutation($id: ID!, $c: String!, $course: String!) { upsertConversionRule(
      id: $id, credentialCode: $c, courseCode: $course, credits: "2.5", validFrom: "2021-01-01")
      { id credits validFrom } }"""
    updated = await gql(
        conversion, update, {"id": rule_id, "c": credential, "course": course}, admin
    )
    assert updated["data"]["upsertConversionRule"] == {
        "id": rule_id,
        "credits": "2.5",
        "validFrom": "2021-01-01",
    }
    unknown = await gql(
        conversion, update, {"id": new_id(), "c": credential, "course": course}, admin
    )
    assert error_code(unknown) == ("NOT_FOUND", "id")


async def test_programmes_name_known_courses(conversion, admin) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    course = await catalog.course("C1", "3.0", major)
    refused = await gql(
        conversion,
        UPSERT_PROGRAM,
        {"code": catalog.code("P"), "courses": [course, "NOPE-1"]},
        admin,
    )
    assert error_code(refused)[1] == "requiredCourseCodes"
    assert "NOPE-1" in refused["errors"][0]["message"]
    too_many = await gql(
        conversion,
        UPSERT_PROGRAM,
        {"code": catalog.code("P"), "courses": [course], "min": "9.0"},
        admin,
    )
    assert error_code(too_many)[1] == "minCredits"
    programs = (await gql(conversion, "{ certificatePrograms { code } }"))["data"]
    assert catalog.code("P") not in [p["code"] for p in programs["certificatePrograms"]]

    created = await gql(
        conversion,
        UPSERT_PROGRAM,
        {"code": catalog.code("P"), "courses": [course], "min": "2.0"},
        admin,
    )
    assert created["data"]["upsertCertificateProgram"] == {
        "code": catalog.code("P"),
        "minCredits": "2.0",
        "requiredCourses": [{"code": course}],
    }


async def test_preview_lists_only_rules_valid_today(conversion, admin) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    current = await catalog.course("NOW", "3.0", major)
    old = await catalog.course("OLD", "3.0", major)
    credential = await catalog.credential("CERT")
    await catalog.rule(current, "3.0", credential=credential)
    await catalog.rule(old, "3.0", credential=credential, until="2021-01-01")
    preview = await gql(
        conversion,
        "query($c: String!) { previewConversion(credentialCode: $c) { course { code } credits } }",
        {"c": credential},
    )
    assert preview["data"]["previewConversion"] == [{"course": {"code": current}, "credits": "3.0"}]


async def test_the_annual_cap_is_set_by_an_admin_and_must_be_positive(conversion, admin) -> None:
    caps = "mutation($c: Decimal!) { setConversionCaps(annualCredits: $c) { annualCredits } }"
    refused = await gql(conversion, caps, {"c": "-5"}, admin)
    assert error_code(refused)[1] == "annualCredits"
    kept = await gql(conversion, "{ conversionCaps { annualCredits } }")
    assert kept["data"]["conversionCaps"]["annualCredits"] == "42.0"
    set_again = await gql(conversion, caps, {"c": "42"}, admin)
    assert set_again["data"]["setConversionCaps"]["annualCredits"] == "42.0"
