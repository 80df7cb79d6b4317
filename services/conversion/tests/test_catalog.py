"""The catalog: public to read, admin-only to change, every bad edit refused by field."""

import uuid
from typing import Any

import pytest

from cbkit.auth import Role
from services.conversion.tests.conftest import (
    UPSERT_COURSE,
    UPSERT_MAJOR,
    UPSERT_RULE,
    Catalog,
    gql,
)

RULES = """query($credential: String, $major: String) {
  conversionRules(credentialCode: $credential, majorCode: $major)
  { id credentialCode credits validFrom validUntil course { code major { code } } } }"""
PROGRAM = """mutation($code: String!, $courses: [String!]!, $min: Decimal) {
  upsertCertificateProgram(code: $code, name: "Programme", requiredCourseCodes: $courses,
    minCredits: $min) { code minCredits requiredCourses { code } } }"""


async def test_only_an_admin_changes_the_catalog(service, stack) -> None:
    variables = {"code": "NOT-ALLOWED", "name": "Nope", "cap": None}
    anonymous = await gql(service, UPSERT_MAJOR, variables)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    for role in (Role.LEARNER, Role.REVIEWER, Role.INSTITUTION):
        refused = await gql(service, UPSERT_MAJOR, variables, stack.token(str(uuid.uuid4()), role))
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    majors = (await gql(service, "{ majors { code } }"))["data"]["majors"]
    assert "NOT-ALLOWED" not in [m["code"] for m in majors]


@pytest.mark.parametrize(
    ("credits", "message"),
    [("0", "must be positive"), ("-1.0", "must be positive"), ("2.55", "at most one decimal")],
)
async def test_course_credits_are_positive_with_one_decimal_at_most(
    service, admin, credits, message
) -> None:
    catalog = Catalog(service, admin)
    major = await catalog.major()
    refused = await gql(
        service,
        UPSERT_COURSE,
        {"code": catalog.code("C"), "name": "C", "credits": credits, "major": major},
        admin,
    )
    [error] = refused["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "credits"}
    assert message in error["message"]
    courses = await gql(
        service,
        "query($c: String!) { _entities(representations: "
        '[{__typename: "Course", code: $c}]) { ... on Course { code } } }',
        {"c": catalog.code("C")},
    )
    assert courses["data"]["_entities"] == [None]


async def test_a_course_needs_a_known_major(service, admin) -> None:
    refused = await gql(
        service,
        UPSERT_COURSE,
        {"code": "ORPHAN", "name": "Orphan", "credits": "2.0", "major": "NO-SUCH-MAJOR"},
        admin,
    )
    assert refused["errors"][0]["extensions"]["field"] == "majorCode"
    assert "NO-SUCH-MAJOR" in refused["errors"][0]["message"]


async def test_rules_are_checked_before_they_are_kept(service, admin) -> None:
    catalog = Catalog(service, admin)
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
        refused = await gql(service, UPSERT_RULE, {**good, **change}, admin)
        assert refused["errors"][0]["extensions"]["field"] == field, (change, refused)
    kept = await gql(service, RULES, {"major": major})
    assert kept["data"]["conversionRules"] == []

    created = await gql(service, UPSERT_RULE, {**good, "until": "2030-12-31"}, admin)
    rule = created["data"]["upsertConversionRule"]
    assert rule["credits"] == "2.0"
    assert rule["validUntil"] == "2030-12-31"
    listed = await gql(service, RULES, {"credential": credential.lower()})
    assert [r["id"] for r in listed["data"]["conversionRules"]] == [rule["id"]]
    assert listed["data"]["conversionRules"][0]["course"]["major"]["code"] == major


async def test_an_existing_rule_is_updated_by_id_and_an_unknown_id_is_refused(
    service, admin
) -> None:
    catalog = Catalog(service, admin)
    major = await catalog.major()
    course = await catalog.course("C1", "3.0", major)
    credential = await catalog.credential("CERT")
    rule_id = await catalog.rule(course, "1.0", credential=credential)
    update = """mutation($id: ID!, $c: String!, $course: String!) { upsertConversionRule(
      id: $id, credentialCode: $c, courseCode: $course, credits: "2.5", validFrom: "2021-01-01")
      { id credits validFrom } }"""
    updated = await gql(service, update, {"id": rule_id, "c": credential, "course": course}, admin)
    assert updated["data"]["upsertConversionRule"] == {
        "id": rule_id,
        "credits": "2.5",
        "validFrom": "2021-01-01",
    }
    unknown = await gql(
        service, update, {"id": str(uuid.uuid4()), "c": credential, "course": course}, admin
    )
    assert unknown["errors"][0]["extensions"] == {"code": "NOT_FOUND", "field": "id"}


async def test_programmes_name_known_courses(service, admin) -> None:
    catalog = Catalog(service, admin)
    major = await catalog.major()
    course = await catalog.course("C1", "3.0", major)
    refused = await gql(
        service, PROGRAM, {"code": catalog.code("P"), "courses": [course, "NOPE-1"]}, admin
    )
    assert refused["errors"][0]["extensions"]["field"] == "requiredCourseCodes"
    assert "NOPE-1" in refused["errors"][0]["message"]
    too_many = await gql(
        service, PROGRAM, {"code": catalog.code("P"), "courses": [course], "min": "9.0"}, admin
    )
    assert too_many["errors"][0]["extensions"]["field"] == "minCredits"
    programs = (await gql(service, "{ certificatePrograms { code } }"))["data"]
    assert catalog.code("P") not in [p["code"] for p in programs["certificatePrograms"]]

    created = await gql(
        service, PROGRAM, {"code": catalog.code("P"), "courses": [course], "min": "2.0"}, admin
    )
    assert created["data"]["upsertCertificateProgram"] == {
        "code": catalog.code("P"),
        "minCredits": "2.0",
        "requiredCourses": [{"code": course}],
    }


async def test_preview_lists_only_rules_valid_today(service, admin) -> None:
    catalog = Catalog(service, admin)
    major = await catalog.major()
    current = await catalog.course("NOW", "3.0", major)
    old = await catalog.course("OLD", "3.0", major)
    credential = await catalog.credential("CERT")
    await catalog.rule(current, "3.0", credential=credential)
    await catalog.rule(old, "3.0", credential=credential, until="2021-01-01")
    preview = await gql(
        service,
        "query($c: String!) { previewConversion(credentialCode: $c) { course { code } credits } }",
        {"c": credential},
    )
    assert preview["data"]["previewConversion"] == [{"course": {"code": current}, "credits": "3.0"}]


async def test_the_annual_cap_is_set_by_an_admin_and_must_be_positive(service, admin) -> None:
    caps = "mutation($c: Decimal!) { setConversionCaps(annualCredits: $c) { annualCredits } }"
    refused = await gql(service, caps, {"c": "-5"}, admin)
    assert refused["errors"][0]["extensions"]["field"] == "annualCredits"
    kept = await gql(service, "{ conversionCaps { annualCredits } }")
    assert kept["data"]["conversionCaps"]["annualCredits"] == "42.0"
    set_again = await gql(service, caps, {"c": "42"}, admin)
    assert set_again["data"]["setConversionCaps"]["annualCredits"] == "42.0"
