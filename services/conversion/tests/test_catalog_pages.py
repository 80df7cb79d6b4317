"""The catalog's lists page (by code, rules by id): to the end, each entry once, with
totalCount; the old list fields stay, deprecated."""

from typing import Any

from cbkit.testing import error_code, gql
from services.conversion.tests.conftest import Catalog


async def page_through(
    conversion, field: str, selection: str, arguments: str = "", **variables: Any
) -> tuple[list[dict], int, int]:
    """Every node of the connection `field`, page by page: the nodes, the totalCount
    and how many pages it took."""
    declared = "".join(f", ${name}: String" for name in variables)
    passed = "".join(f", {name}: ${name}" for name in variables)
    query = f"""query($after: String{declared}) {{ {field}(first: 3, after: $after{passed}
      {arguments}) {{ totalCount pageInfo {{ hasNextPage endCursor }}
      edges {{ cursor node {{ {selection} }} }} }} }}"""
    nodes: list[dict] = []
    after, pages = None, 0
    while True:
        answer = await gql(conversion, query, {"after": after, **variables})
        assert "errors" not in answer, answer
        found = answer["data"][field]
        nodes += [edge["node"] for edge in found["edges"]]
        pages += 1
        if not found["pageInfo"]["hasNextPage"]:
            return nodes, found["totalCount"], pages
        after = found["pageInfo"]["endCursor"]
        assert after == found["edges"][-1]["cursor"]


async def test_each_catalog_list_pages_to_the_end(conversion, admin) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major("M")
    courses = [await catalog.course(f"C{n}", "2.0", major) for n in range(7)]
    credential = await catalog.credential("CERT")
    rules = [await catalog.rule(course, "1.0", credential=credential) for course in courses]
    await catalog.credential("OTHER")
    await catalog.program("P", courses[:2])

    of_major, total, pages = await page_through(
        conversion, "coursesConnection", "code name", majorCode=major.lower()
    )
    assert [c["code"] for c in of_major] == courses
    assert (total, pages) == (7, 3)

    of_credential, total, _ = await page_through(
        conversion,
        "conversionRulesConnection",
        "id version course { code }",
        credentialCode=credential,
    )
    assert [r["id"] for r in of_credential] == sorted(rules)
    assert total == 7 and {r["version"] for r in of_credential} == {1}

    for field, selection in (
        ("majorsConnection", "code"),
        ("credentialTypesConnection", "code"),
        ("certificateProgramsConnection", "code"),
        ("coursesConnection", "code"),
    ):
        nodes, total, _ = await page_through(conversion, field, selection)
        codes = [n["code"] for n in nodes]
        assert codes == sorted(set(codes)), field
        assert len(codes) == total, field
        assert any(code.startswith(f"T{catalog.tag}") for code in codes), field


async def test_a_cursor_belongs_to_its_list_and_pages_are_at_most_100(conversion, admin) -> None:
    catalog = Catalog(conversion, admin)
    await catalog.major("A")
    await catalog.major("B")
    first = await gql(conversion, "{ majorsConnection(first: 1) { pageInfo { endCursor } } }")
    cursor = first["data"]["majorsConnection"]["pageInfo"]["endCursor"]
    other = await gql(
        conversion,
        "query($a: String) { credentialTypesConnection(after: $a) { totalCount } }",
        {"a": cursor},
    )
    assert error_code(other) == ("BAD_USER_INPUT", "after")
    too_big = await gql(conversion, "{ majorsConnection(first: 101) { totalCount } }")
    assert error_code(too_big) == ("BAD_USER_INPUT", "first")


async def test_the_old_lists_stay_deprecated_for_the_connections(conversion) -> None:
    query = """{ __type(name: "Query") { fields(includeDeprecated: true)
      { name isDeprecated deprecationReason } } }"""
    fields = {f["name"]: f for f in (await gql(conversion, query))["data"]["__type"]["fields"]}
    for old in ("majors", "credentialTypes", "conversionRules", "certificatePrograms"):
        assert fields[old]["isDeprecated"], old
        assert fields[old]["deprecationReason"] == f"use {old}Connection: it pages"
        assert not fields[f"{old}Connection"]["isDeprecated"]
    assert not fields["coursesConnection"]["isDeprecated"]
