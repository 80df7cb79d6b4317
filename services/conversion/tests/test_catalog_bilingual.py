"""The catalog in Chinese and English: names and descriptions follow the request's
Accept-Language (falling back to the other language), and so do refusals; codes and
fields stay the same."""

from typing import Any

import httpx

from cbkit.testing import gql
from services.conversion.adapters.seed import load_demo_catalog
from services.conversion.tests.conftest import Catalog

ZH = "zh-CN,zh;q=0.9,en;q=0.5"
COURSE = """query($c: String!) { _entities(representations: [{__typename: "Course", code: $c}])
  { ... on Course { code name nameZh nameEn description descriptionZh descriptionEn
  major { name nameZh nameEn } } } }"""
UPSERT = """mutation($code: String!, $name: String!, $major: String!, $zh: String,
  $d: String, $dzh: String, $credits: Decimal! = "2.0") {
  upsertCourse(code: $code, name: $name, credits: $credits, majorCode: $major, nameZh: $zh,
    description: $d, descriptionZh: $dzh) { code name nameZh nameEn description } }"""


async def ask(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any],
    language: str | None = None,
    token: str | None = None,
) -> dict[str, Any]:
    """`query` as a client reading `language` (Accept-Language) sends it."""
    headers = {"Accept-Language": language} if language else {}
    return await gql(client, query, variables, token, headers=headers)


async def test_names_and_descriptions_follow_accept_language(conversion, admin) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    code = catalog.code("C")
    made = await ask(
        conversion,
        UPSERT,
        {
            "code": code,
            "name": "Early literacy",
            "major": major,
            "zh": "早期阅读",
            "d": "Reading with young children",
            "dzh": "与幼儿共读",
        },
        ZH,
        admin,
    )
    assert made["data"]["upsertCourse"] == {
        "code": code,
        "name": "早期阅读",
        "nameZh": "早期阅读",
        "nameEn": "Early literacy",
        "description": "与幼儿共读",
    }
    english = (await ask(conversion, COURSE, {"c": code}, "en-US"))["data"]["_entities"][0]
    assert english["name"] == "Early literacy"
    assert english["description"] == "Reading with young children"
    chinese = (await ask(conversion, COURSE, {"c": code}, ZH))["data"]["_entities"][0]
    assert (chinese["name"], chinese["description"]) == ("早期阅读", "与幼儿共读")
    assert (chinese["descriptionZh"], chinese["descriptionEn"]) == (
        "与幼儿共读",
        "Reading with young children",
    )
    # the test major has only an English name: Chinese readers get it rather than nothing
    assert chinese["major"] == {"name": "Major M", "nameZh": None, "nameEn": "Major M"}


async def test_an_edit_without_chinese_clears_it_and_blank_means_none(conversion, admin) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    code = catalog.code("C")
    variables = {"code": code, "name": "Songs", "major": major, "zh": "儿歌"}
    await ask(conversion, UPSERT, variables, ZH, admin)
    changed = await ask(conversion, UPSERT, {**variables, "zh": "  "}, ZH, admin)
    assert changed["data"]["upsertCourse"]["name"] == "Songs"
    assert changed["data"]["upsertCourse"]["nameZh"] is None


async def test_the_demo_catalog_speaks_both_languages(conversion) -> None:
    async with conversion.runtime.pool.acquire() as conn:
        await load_demo_catalog(conn)
    query = """{ majors { code name }
      credentialTypes { code name nameEn }
      certificatePrograms { code name nameEn } }"""
    zh = (await ask(conversion, query, {}, ZH))["data"]
    assert {"code": "PRESCHOOL-EDU", "name": "学前教育"} in zh["majors"]
    credentials = {c["code"]: (c["name"], c["nameEn"]) for c in zh["credentialTypes"]}
    assert credentials["CN-KINDERGARTEN-PRINCIPAL"] == (
        "幼儿园园长资格证",
        "Kindergarten principal qualification certificate",
    )
    assert credentials["CN-PRESCHOOL-TEACHER"][0] == "幼儿园教师资格证"
    programs = {p["code"]: p["name"] for p in zh["certificatePrograms"]}
    assert programs["PE-KINDERGARTEN-MANAGEMENT"] == "幼儿园管理与游戏化教学证书"
    courses = await ask(conversion, COURSE, {"c": "PE-TRWM"}, ZH)
    assert courses["data"]["_entities"][0]["name"] == "教研工作管理"
    courses = await ask(conversion, COURSE, {"c": "PE-CGADO"}, "en")
    entry = courses["data"]["_entities"][0]
    assert (entry["name"], entry["nameZh"]) == (
        "Children's game activity design and organization",
        "幼儿游戏活动设计与组织",
    )


async def test_refusals_follow_accept_language_with_the_same_code_and_field(
    conversion, admin
) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    variables = {"code": catalog.code("C"), "name": "C", "major": major, "credits": "2.55"}
    zh = await ask(conversion, UPSERT, variables, ZH, admin)
    en = await ask(conversion, UPSERT, variables, "en", admin)
    assert zh["errors"][0]["message"] == "credits 最多保留一位小数，收到的是 2.55"
    assert "at most one decimal" in en["errors"][0]["message"]
    assert (
        zh["errors"][0]["extensions"]
        == en["errors"][0]["extensions"]
        == {
            "code": "BAD_USER_INPUT",
            "field": "credits",
        }
    )
    unknown = await ask(
        conversion, UPSERT, {**variables, "credits": "2", "major": "NOPE"}, ZH, admin
    )
    assert unknown["errors"][0]["message"] == "目录中没有专业 NOPE"
    assert unknown["errors"][0]["extensions"]["field"] == "majorCode"
