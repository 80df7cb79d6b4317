"""Every catalog change is kept with who made it and when; admins read that history,
newest first, page by page; nobody else does."""

from datetime import UTC, datetime, timedelta

from cbkit.auth import Role
from cbkit.testing import error_code, gql, new_id
from services.conversion.tests.conftest import Catalog
from services.conversion.tests.test_catalog_bilingual import ZH, ask

HISTORY = """query($kind: CatalogKind, $code: String, $first: Int = 20, $after: String) {
  catalogHistory(kind: $kind, code: $code, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id kind code action changedAt changedBy { id } before after } } }"""
RETIRE = """mutation($kind: CatalogKind!, $code: String!, $from: Date!) {
  retireCatalogEntry(kind: $kind, code: $code, retiredFrom: $from)
  { id kind code action changedAt changedBy { id } before after } }"""
CAPS = "mutation($c: Decimal!) { setConversionCaps(annualCredits: $c) { annualCredits } }"
NOW = datetime(2026, 4, 1, 1, 0, tzinfo=UTC)  # 1 April 09:00 in Shanghai


def nodes(answer: dict) -> list[dict]:
    assert "errors" not in answer, answer
    return answer["data"]["catalogHistory"]["nodes"]


async def test_each_kind_of_change_is_kept_with_who_and_when(conversion, stack, clock) -> None:
    editor = new_id()
    admin = stack.token(editor, Role.ADMIN)
    clock.frozen_at = NOW
    catalog = Catalog(conversion, admin)
    major = await catalog.major("M", cap="10")
    course = await catalog.course("C", "3.0", major)
    credential = await catalog.credential("CERT")
    rule = await catalog.rule(course, "1.0", credential=credential)
    program = await catalog.program("P", [course])

    clock.frozen_at = NOW + timedelta(hours=1)
    await catalog.course("C", "2.5", major)  # a change
    await catalog.course("C", "2.5", major)  # changes nothing: not a change
    retired = await gql(
        conversion, RETIRE, {"kind": "RULE", "code": rule, "from": "2026-04-02"}, admin
    )
    assert retired["data"]["retireCatalogEntry"]["action"] == "RETIRED"

    created = [(major, "MAJOR"), (credential, "CREDENTIAL_TYPE"), (program, "PROGRAM")]
    for code, kind in created:
        [change] = nodes(await gql(conversion, HISTORY, {"code": code}, admin))
        assert (change["kind"], change["code"], change["action"]) == (kind, code, "CREATED")
        assert change["changedBy"] == {"id": editor}
        assert datetime.fromisoformat(change["changedAt"]) == NOW
        assert change["before"] is None and change["after"]["code"] == code

    course_changes = nodes(
        await gql(conversion, HISTORY, {"kind": "COURSE", "code": course}, admin)
    )
    assert [c["action"] for c in course_changes] == ["CHANGED", "CREATED"]
    assert course_changes[0]["before"]["credits"] == "3.0"
    assert course_changes[0]["after"]["credits"] == "2.5"
    assert datetime.fromisoformat(course_changes[0]["changedAt"]) == NOW + timedelta(hours=1)

    rule_changes = nodes(await gql(conversion, HISTORY, {"kind": "RULE", "code": rule}, admin))
    assert [c["action"] for c in rule_changes] == ["RETIRED", "CREATED"]
    assert rule_changes[0]["before"]["retiredFrom"] is None
    assert rule_changes[0]["after"]["retiredFrom"] == "2026-04-02"
    assert rule_changes[1]["after"]["credits"] == "1.0"
    assert rule_changes[1]["after"]["version"] == 1


async def test_the_caps_history(conversion, stack, clock) -> None:
    editor = new_id()
    admin = stack.token(editor, Role.ADMIN)
    clock.frozen_at = datetime(2027, 1, 1, tzinfo=UTC)  # newer than any other test's change
    await gql(conversion, CAPS, {"c": "40"}, admin)
    await gql(conversion, CAPS, {"c": "42"}, admin)
    changes = nodes(await gql(conversion, HISTORY, {"kind": "CAPS", "first": 2}, admin))
    assert [(c["before"], c["after"]) for c in changes] == [
        ({"annualCredits": "40.0"}, {"annualCredits": "42.0"}),
        ({"annualCredits": "42.0"}, {"annualCredits": "40.0"}),
    ]
    assert {c["changedBy"]["id"] for c in changes} == {editor}
    assert {c["code"] for c in changes} == {"CAPS"}
    by_code = nodes(await gql(conversion, HISTORY, {"code": "caps", "first": 2}, admin))
    assert by_code == changes


async def test_the_history_pages_to_the_end_newest_first(conversion, admin) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major("M")
    for name in ("A", "B", "C", "D", "E"):
        await catalog.course(name, "1.0", major)
        await catalog.course(name, "2.0", major)
    seen: list[str] = []
    times: list[datetime] = []
    after = None
    while True:
        answer = await gql(
            conversion, HISTORY, {"kind": "COURSE", "first": 3, "after": after}, admin
        )
        history = answer["data"]["catalogHistory"]
        seen += [n["id"] for n in history["nodes"]]
        times += [datetime.fromisoformat(n["changedAt"]) for n in history["nodes"]]
        if not history["pageInfo"]["hasNextPage"]:
            break
        after = history["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == history["totalCount"]
    assert times == sorted(times, reverse=True)
    mine = nodes(await gql(conversion, HISTORY, {"code": catalog.code("A")}, admin))
    assert [c["action"] for c in mine] == ["CHANGED", "CREATED"]
    assert {m["id"] for m in mine} <= set(seen)
    wrong = await gql(conversion, HISTORY, {"kind": "MAJOR", "after": after or "x"}, admin)
    assert error_code(wrong) == ("BAD_USER_INPUT", "after")


async def test_only_admins_read_the_history(conversion, stack) -> None:
    anonymous = await ask(conversion, HISTORY, {}, ZH)
    assert error_code(anonymous)[0] == "UNAUTHENTICATED"
    for role in (Role.LEARNER, Role.REVIEWER, Role.INSTITUTION):
        refused = await gql(conversion, HISTORY, {}, stack.token(new_id(), role))
        assert error_code(refused)[0] == "FORBIDDEN"
        assert refused["data"] is None
