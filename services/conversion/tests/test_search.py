"""searchCatalog: majors, courses and credential types by Chinese or English words or
codes, ranked (exact code, prefix, every word held, similar), retired entries left out."""

from datetime import UTC, datetime

from cbkit.testing import error_code, gql
from services.conversion.adapters.seed import load_demo_catalog
from services.conversion.tests.conftest import Catalog
from services.conversion.tests.test_catalog_bilingual import ZH, ask

SEARCH = """query($t: String!, $first: Int = 20) { searchCatalog(text: $t, first: $first)
  { kind code name score major { code } course { code credits } credentialType { code } } }"""
RETIRE = """mutation($kind: CatalogKind!, $code: String!, $from: Date!) {
  retireCatalogEntry(kind: $kind, code: $code, retiredFrom: $from) { action code } }"""


async def seeded(conversion) -> None:
    async with conversion.runtime.pool.acquire() as conn:
        await load_demo_catalog(conn)


async def test_two_chinese_characters_find_the_principal_certificate(conversion) -> None:
    await seeded(conversion)
    found = (await ask(conversion, SEARCH, {"t": "园长"}, ZH))["data"]["searchCatalog"]
    assert found[0]["kind"] == "CREDENTIAL_TYPE"
    assert found[0]["code"] == "CN-KINDERGARTEN-PRINCIPAL"
    assert found[0]["name"] == "幼儿园园长资格证"
    assert found[0]["credentialType"] == {"code": "CN-KINDERGARTEN-PRINCIPAL"}
    assert found[0]["major"] is None and found[0]["course"] is None
    assert "CN-PRESCHOOL-TEACHER" not in [m["code"] for m in found]

    course = (await ask(conversion, SEARCH, {"t": "游戏活动"}, ZH))["data"]["searchCatalog"]
    assert [(m["kind"], m["code"], m["name"]) for m in course] == [
        ("COURSE", "PE-CGADO", "幼儿游戏活动设计与组织")
    ]
    assert course[0]["course"] == {"code": "PE-CGADO", "credits": "2.5"}
    major = (await ask(conversion, SEARCH, {"t": "学前教育"}, ZH))["data"]["searchCatalog"]
    assert major[0]["code"] == "PRESCHOOL-EDU"
    assert major[0]["major"] == {"code": "PRESCHOOL-EDU"}


async def test_english_words_find_entries_in_either_case_and_misspelt(conversion) -> None:
    await seeded(conversion)
    found = (await gql(conversion, SEARCH, {"t": "Principal"}))["data"]["searchCatalog"]
    assert found[0]["code"] == "CN-KINDERGARTEN-PRINCIPAL"
    assert found[0]["name"] == "Kindergarten principal qualification certificate"
    words = await gql(conversion, SEARCH, {"t": "principal certificate"})
    assert words["data"]["searchCatalog"][0]["code"] == "CN-KINDERGARTEN-PRINCIPAL"
    misspelt = await gql(conversion, SEARCH, {"t": "principle"})
    assert "CN-KINDERGARTEN-PRINCIPAL" in [m["code"] for m in misspelt["data"]["searchCatalog"]]
    nothing = await gql(conversion, SEARCH, {"t": "astrophysics"})
    assert nothing["data"]["searchCatalog"] == []


async def test_an_exact_code_comes_first_then_prefixes_then_words(conversion, admin) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major("M")
    exact = await catalog.course("ART", "2.0", major)
    longer = await catalog.course("ART-2", "2.0", major)
    found = (await gql(conversion, SEARCH, {"t": exact.lower()}))["data"]["searchCatalog"]
    codes = [m["code"] for m in found]
    assert codes[:2] == [exact, longer]
    assert found[0]["score"] > found[1]["score"]
    # every entry of the test catalog starts with its tag; the words "Course ART" are held
    tagged = await gql(conversion, SEARCH, {"t": f"T{catalog.tag}"})
    assert {m["code"] for m in tagged["data"]["searchCatalog"]} == {major, exact, longer}
    held = await gql(conversion, SEARCH, {"t": f"course art T{catalog.tag}"})
    assert [m["code"] for m in held["data"]["searchCatalog"]][:2] == [exact, longer]
    first = await gql(conversion, SEARCH, {"t": f"T{catalog.tag}", "first": 1})
    assert len(first["data"]["searchCatalog"]) == 1


async def test_retired_entries_are_not_found(conversion, admin, clock) -> None:
    clock.frozen_at = datetime(2026, 5, 4, 2, 0, tzinfo=UTC)
    catalog = Catalog(conversion, admin)
    major = await catalog.major("M")
    course = await catalog.course("OLD", "2.0", major)
    later = await catalog.course("LATER", "2.0", major)
    for code, day in ((course, "2026-05-04"), (later, "2026-05-05")):
        retired = await gql(
            conversion, RETIRE, {"kind": "COURSE", "code": code, "from": day}, admin
        )
        assert retired["data"]["retireCatalogEntry"] == {"action": "RETIRED", "code": code}
    found = await gql(conversion, SEARCH, {"t": f"T{catalog.tag}"})
    assert {m["code"] for m in found["data"]["searchCatalog"]} == {major, later}


async def test_blank_or_long_text_is_refused_by_field(conversion) -> None:
    for text in ("", "   ", "园" * 101):
        refused = await ask(conversion, SEARCH, {"t": text}, ZH)
        assert error_code(refused) == ("BAD_USER_INPUT", "text"), text
        assert "搜索内容" in refused["errors"][0]["message"]
    too_many = await gql(conversion, SEARCH, {"t": "园长", "first": 101})
    assert error_code(too_many) == ("BAD_USER_INPUT", "first")
    assert len((await gql(conversion, SEARCH, {"t": "园" * 100}))["data"]["searchCatalog"]) == 0
