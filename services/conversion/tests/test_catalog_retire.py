"""Nothing in the catalog is deleted: an entry is retired from a day on. From that day
a retired credential type, rule or course converts nothing; retired entries leave the
pages (unless asked for) while the old lists keep them; accounts hears of courses."""

from datetime import UTC, datetime

import pytest

from cbkit.auth import Role
from cbkit.testing import error_code, eventually, gql, handled, new_id
from services.conversion.tests.conftest import Catalog, learner
from services.conversion.tests.test_catalog_bilingual import ZH, ask

RETIRE = """mutation($kind: CatalogKind!, $code: String!, $from: Date!) {
  retireCatalogEntry(kind: $kind, code: $code, retiredFrom: $from) { kind code action } }"""
CONVERSIONS = """query($id: ID!) { _entities(representations: [{__typename: "Account",
  id: $id}]) { ... on Account { conversions { course { code } } } } }"""
TODAY = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)  # 1 June in Shanghai


@pytest.fixture
def catalog(conversion, admin, clock) -> Catalog:
    """The test's own catalog, edited on TODAY (the clock frozen there)."""
    clock.frozen_at = TODAY
    return Catalog(conversion, admin)


async def retire(conversion, admin, kind: str, code: str, day: str = "2026-06-01") -> dict:
    return await gql(conversion, RETIRE, {"kind": kind, "code": code, "from": day}, admin)


async def credited(conversion, bus, stack, credential: str) -> list[str]:
    """The courses a new learner's approved credential converts into, decided today."""
    account, token = learner(stack)
    event = await bus.approve(account, credential, decided_at=TODAY)
    await handled(conversion, event)
    found = await gql(conversion, CONVERSIONS, {"id": account}, token)
    return [c["course"]["code"] for c in found["data"]["_entities"][0]["conversions"]]


async def test_retired_credentials_rules_and_courses_convert_nothing(
    conversion, bus, admin, stack, catalog
) -> None:
    major = await catalog.major()
    pairs = [await catalog.course_with_rule(name, "2.0", major) for name in ("1", "2", "3", "4")]
    (_, cert1), (c2, cert2), (c3, cert3), (c4, cert4) = pairs
    rule3 = await catalog.rule(c3, "1.0", credential=cert4)  # cert4 reaches c3 and c4

    assert (await retire(conversion, admin, "CREDENTIAL_TYPE", cert1))["data"] is not None
    assert await credited(conversion, bus, stack, cert1) == []
    await retire(conversion, admin, "COURSE", c2)
    assert await credited(conversion, bus, stack, cert2) == []
    await retire(conversion, admin, "RULE", rule3)
    assert await credited(conversion, bus, stack, cert4) == [c4]
    # retired from tomorrow: still converts today
    await retire(conversion, admin, "CREDENTIAL_TYPE", cert3, "2026-06-02")
    assert await credited(conversion, bus, stack, cert3) == [c3]


async def test_retirement_is_refused_in_the_past_twice_or_for_caps(
    conversion, admin, stack, catalog
) -> None:
    major = await catalog.major()
    past = await ask(
        conversion, RETIRE, {"kind": "MAJOR", "code": major, "from": "2026-05-31"}, ZH, admin
    )
    assert error_code(past) == ("BAD_USER_INPUT", "retiredFrom")
    assert "不能早于今天" in past["errors"][0]["message"]
    caps = await retire(conversion, admin, "CAPS", "caps")
    assert error_code(caps) == ("BAD_USER_INPUT", "kind")
    unknown = await retire(conversion, admin, "COURSE", "NO-SUCH-COURSE")
    assert error_code(unknown) == ("NOT_FOUND", "code")
    for rule in ("not-a-uuid", new_id()):
        assert error_code(await retire(conversion, admin, "RULE", rule)) == ("NOT_FOUND", "code")
    assert (await retire(conversion, admin, "MAJOR", major))["data"]["retireCatalogEntry"] == {
        "kind": "MAJOR",
        "code": major,
        "action": "RETIRED",
    }
    again = await retire(conversion, admin, "MAJOR", major)
    assert error_code(again) == ("CONFLICT", "code")
    learner_token = stack.token(new_id(), Role.LEARNER)
    assert error_code(await retire(conversion, learner_token, "MAJOR", major))[0] == "FORBIDDEN"


async def test_pages_hide_retired_entries_unless_asked_and_old_lists_keep_them(
    conversion, admin, catalog
) -> None:
    major = await catalog.major()
    kept, gone = (
        await catalog.course("KEPT", "2.0", major),
        await catalog.course("GONE", "2.0", major),
    )
    await retire(conversion, admin, "COURSE", gone)
    page = """query($m: String!, $all: Boolean!) { coursesConnection(majorCode: $m,
      includeRetired: $all) { totalCount nodes { code retiredFrom } } }"""
    live = (await gql(conversion, page, {"m": major, "all": False}))["data"]["coursesConnection"]
    assert live == {"totalCount": 1, "nodes": [{"code": kept, "retiredFrom": None}]}
    every = (await gql(conversion, page, {"m": major, "all": True}))["data"]["coursesConnection"]
    assert every["nodes"] == [
        {"code": gone, "retiredFrom": "2026-06-01"},
        {"code": kept, "retiredFrom": None},
    ]
    old = """query($c: String!) { _entities(representations: [{__typename: "Major", code: $c}])
      { ... on Major { courses { code } } } }"""
    courses = (await gql(conversion, old, {"c": major}))["data"]["_entities"][0]["courses"]
    assert [c["code"] for c in courses] == [gone, kept]


async def test_accounts_hears_of_every_course_created_changed_or_retired(
    conversion, bus, admin, catalog
) -> None:
    major = await catalog.major()
    code = catalog.code("C")
    create = """mutation($code: String!, $major: String!, $credits: Decimal!) {
      upsertCourse(code: $code, name: "Songs", nameZh: "儿歌", credits: $credits,
      majorCode: $major) { code } }"""
    await gql(conversion, create, {"code": code, "major": major, "credits": "2.0"}, admin)
    await gql(conversion, create, {"code": code, "major": major, "credits": "2.0"}, admin)
    await gql(conversion, create, {"code": code, "major": major, "credits": "1.5"}, admin)
    await retire(conversion, admin, "COURSE", code, "2026-07-01")

    def heard() -> list[dict]:
        return [e.data for e in bus.heard_about("code", code, "catalog.course_changed")]

    async def all_three() -> bool:
        return len(heard()) >= 3

    await eventually(all_three)
    assert heard() == [
        {
            "code": code,
            "majorCode": major,
            "nameZh": "儿歌",
            "nameEn": "Songs",
            "credits": credits,
            "retiredFrom": retired,
            "changedAt": "2026-06-01T04:00:00Z",
        }
        for credits, retired in (("2.0", None), ("1.5", None), ("1.5", "2026-07-01"))
    ]
