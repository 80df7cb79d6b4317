"""Every certified result explains itself: what no rule converts says why by a stable
code, in Chinese with `Accept-Language: zh-CN` and in English otherwise; a granted
conversion says which rule version turned what into which course."""

from datetime import UTC, datetime
from typing import Any

import httpx
import orjson

from cbkit.testing import handled, new_id
from services.conversion.adapters.seed import load_demo_catalog
from services.conversion.tests.conftest import Catalog, learner

OUTCOME = """query($ids: [_Any!]!) { _entities(representations: $ids) { ... on Outcome {
  conversions { credits ruleVersion explanation rule { version credits } }
  conversionRefusals { code reason course { code } rule { id version } outcome { id } } } } }"""
ACCOUNT = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}]) {
  ... on Account { conversionsConnection { nodes { course { code } explanation ruleVersion } }
  conversionRefusals { totalCount nodes { code reason } } } } }"""
EDIT_RULE = """mutation($id: ID!, $course: String!, $credits: Decimal!, $credential: String!,
  $from: Date!) { upsertConversionRule(id: $id, courseCode: $course, credits: $credits,
  credentialCode: $credential, validFrom: "2020-01-01", effectiveFrom: $from) { version } }"""


async def ask(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any],
    token: str,
    language: str | None = None,
) -> dict[str, Any]:
    """What the holder of `token` reads, asking in `language` (an Accept-Language)."""
    headers = {"Authorization": f"Bearer {token}"}
    if language is not None:
        headers["Accept-Language"] = language
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body: dict[str, Any] = orjson.loads(response.content)
    assert "errors" not in body, body
    return body


async def outcome_in(client, event, token, language=None) -> dict[str, Any]:
    await handled(client, event)
    ids = [{"__typename": "Outcome", "id": event.data["outcomeId"]}]
    found = await ask(client, OUTCOME, {"ids": ids}, token, language)
    view: dict[str, Any] = found["data"]["_entities"][0]
    return view


async def refusals_in_both(client, event, token) -> list[tuple[str, str, str]]:
    """Each refusal of the outcome: its code, its reason in Chinese and in English."""
    zh = (await outcome_in(client, event, token, "zh-CN,zh;q=0.9,en;q=0.5"))["conversionRefusals"]
    en = (await outcome_in(client, event, token, "en-US"))["conversionRefusals"]
    assert [r["code"] for r in zh] == [r["code"] for r in en]
    return [(z["code"], z["reason"], e["reason"]) for z, e in zip(zh, en, strict=True)]


async def test_a_credential_no_rule_converts_says_so_naming_no_course(
    conversion, bus, stack
) -> None:
    account, token = learner(stack)
    credential = f"CN-XYZ-{new_id()[:6].upper()}"
    event = await bus.approve(account, credential)
    view = await outcome_in(conversion, event, token)
    assert view["conversions"] == []
    [refusal] = view["conversionRefusals"]
    assert refusal["course"] is None and refusal["rule"] is None
    assert refusal["outcome"] == {"id": event.data["outcomeId"]}
    assert await refusals_in_both(conversion, event, token) == [
        (
            "NO_RULE",
            f"没有适用于证书 {credential} 的换算规则",
            f"no rule for credential {credential}",
        )
    ]


async def test_a_result_without_a_credential_names_its_kind(conversion, bus, stack) -> None:
    account, token = learner(stack)
    event = await bus.approve(account, None, kind="ACADEMIC_COURSE", hours=30)
    assert await refusals_in_both(conversion, event, token) == [
        ("NO_RULE", "没有适用于学历课程的换算规则", "no rule for academic courses")
    ]


async def test_too_few_hours_say_how_many_the_rules_need(conversion, bus, admin, stack) -> None:
    catalog = Catalog(conversion, admin)
    course = await catalog.course("C", "2.0", await catalog.major())
    credential = await catalog.credential("MOOC")
    rule = await catalog.rule(course, "2.0", credential=credential, minHours=40)
    account, token = learner(stack)

    short = await bus.approve(account, credential, kind="ONLINE_COURSE", hours=12)
    assert await refusals_in_both(conversion, short, token) == [
        (
            "BELOW_MIN_HOURS",
            "在线课程 12 学时；规则要求至少 40 学时",
            "online course of 12 h; rules need 40 h",
        )
    ]
    [refusal] = (await outcome_in(conversion, short, token))["conversionRefusals"]
    assert refusal["course"] == {"code": course}
    assert refusal["rule"] == {"id": rule, "version": 1}


async def test_caps_and_a_course_credited_already_explain_themselves(
    conversion, bus, admin, stack
) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major(cap="5.0")
    first, a = await catalog.course_with_rule("1", "4.0", major)
    _, b = await catalog.course_with_rule("2", "4.0", major)
    c = await catalog.credential("C")
    await catalog.rule(first, "4.0", credential=c)  # another way to the same course
    account, token = learner(stack)

    await handled(conversion, await bus.approve(account, a))
    over = await bus.approve(account, b)
    assert await refusals_in_both(conversion, over, token) == [
        (
            "MAJOR_CAP",
            f"已达到专业 {major} 的证书学分上限 5.0 学分",
            f"major cap of 5.0 credits for {major} reached",
        )
    ]
    again = await bus.approve(account, c)
    assert await refusals_in_both(conversion, again, token) == [
        ("ALREADY_CREDITED", "该课程已经换算过学分", "course already credited")
    ]


async def test_the_annual_cap_and_a_partial_grant_explain_themselves(
    conversion, bus, admin, stack
) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    courses = [await catalog.course(f"C{i}", "20.0", major) for i in range(3)]
    creds = [await catalog.credential(f"A{i}") for i in range(3)]
    for i, (course, credential) in enumerate(zip(courses, creds, strict=True)):
        await catalog.rule(course, "20.0", credential=credential, partial=i == 2)
    account, token = learner(stack)
    when = datetime(2025, 5, 1, tzinfo=UTC)
    for credential in creds[:2]:
        await handled(conversion, await bus.approve(account, credential, decided_at=when))

    partial = await bus.approve(account, creds[2], decided_at=when)
    view = await outcome_in(conversion, partial, token)
    assert [c["credits"] for c in view["conversions"]] == ["2.0"]
    assert await refusals_in_both(conversion, partial, token) == [
        (
            "PARTIAL",
            "仅换算 20.0 学分中的 2.0 学分（已达到2025 年度上限 42.0 学分）",
            "granted 2.0 of 20.0 credits (annual cap of 42.0 credits for 2025 reached)",
        )
    ]
    refused = await bus.approve(account, creds[0], decided_at=datetime(2025, 6, 1, tzinfo=UTC))
    assert [r[0] for r in await refusals_in_both(conversion, refused, token)] == [
        "ALREADY_CREDITED"
    ]


async def test_the_seed_conversions_explain_themselves_in_chinese_and_english(
    conversion, bus, stack
) -> None:
    async with conversion.runtime.pool.acquire() as conn:
        await load_demo_catalog(conn)
    teacher, token = learner(stack)
    await handled(conversion, await bus.approve(teacher, "CN-KINDERGARTEN-PRINCIPAL"))
    await handled(conversion, await bus.approve(teacher, "CN-PRESCHOOL-TEACHER"))

    async def explanations(language: str) -> dict[str, str]:
        found = await ask(conversion, ACCOUNT, {"id": teacher}, token, language)
        nodes = found["data"]["_entities"][0]["conversionsConnection"]["nodes"]
        return {n["course"]["code"]: n["explanation"] for n in nodes}

    assert await explanations("zh-CN") == {
        "PE-TRWM": "幼儿园园长资格证 按规则第 1 版换算为 教研工作管理 3.0 学分",
        "PE-CGADO": "幼儿园教师资格证 按规则第 1 版换算为 幼儿游戏活动设计与组织 2.5 学分",
    }
    english = await explanations("en")
    assert english["PE-TRWM"] == (
        "Kindergarten principal qualification certificate converts to Teaching and research"
        " work management: 3.0 credits by rule version 1"
    )


async def test_a_conversion_keeps_the_rule_version_it_was_granted_under(
    conversion, bus, admin, stack, clock
) -> None:
    catalog = Catalog(conversion, admin)
    course = await catalog.course("C", "4.0", await catalog.major())
    credential = await catalog.credential("A")
    rule = await catalog.rule(course, "2.0", credential=credential)
    account, token = learner(stack)
    before = await bus.approve(account, credential, decided_at=datetime(2026, 3, 1, tzinfo=UTC))
    [granted] = (await outcome_in(conversion, before, token))["conversions"]
    assert (granted["ruleVersion"], granted["rule"]) == (1, {"version": 1, "credits": "2.0"})

    edit = {"id": rule, "course": course, "credits": "4.0", "credential": credential}
    edited = await catalog.run(EDIT_RULE, **edit, **{"from": "2026-04-01"})
    assert edited["upsertConversionRule"]["version"] == 2

    [kept] = (await outcome_in(conversion, before, token))["conversions"]
    assert kept == granted
    assert "by rule version 1" in kept["explanation"]
    # a decision after the edit's day goes by version 2 (for another learner)
    other, other_token = learner(stack)
    after = await bus.approve(other, credential, decided_at=datetime(2026, 4, 2, tzinfo=UTC))
    [now] = (await outcome_in(conversion, after, other_token))["conversions"]
    assert (now["ruleVersion"], now["credits"], now["rule"]["credits"]) == (2, "4.0", "4.0")
    assert now["explanation"].endswith("4.0 credits by rule version 2")


async def test_account_conversion_refusals_list_every_result(conversion, bus, stack) -> None:
    account, token = learner(stack)
    events = [await bus.approve(account, f"CN-NONE-{i}") for i in range(3)]
    for event in events:
        await handled(conversion, event)
    found = await ask(conversion, ACCOUNT, {"id": account}, token, "zh-CN")
    refusals = found["data"]["_entities"][0]["conversionRefusals"]
    assert refusals["totalCount"] == 3
    assert [r["reason"] for r in refusals["nodes"]] == [
        f"没有适用于证书 CN-NONE-{i} 的换算规则" for i in (2, 1, 0)
    ]


def test_every_code_reads_in_both_languages_and_old_reasons_stay_readable() -> None:
    from datetime import date
    from decimal import Decimal

    from services.conversion import domain
    from services.conversion.domain import explanations as ex

    code = domain.RefusalCode
    cases = [
        (code.RETIRED, ex.retired("course", "PE-TRWM", "2026-01-01"),
         "课程 PE-TRWM 自 2026-01-01 起已停用", "the course PE-TRWM is retired from 2026-01-01"),
        (code.RETIRED, ex.retired("rule", "6c0b7f3e", "2026-01-01"),
         "换算规则自 2026-01-01 起已停用", "the rule is retired from 2026-01-01"),
        (code.NOT_VALID_ON, ex.not_valid_on("2019-05-01", "2020-01-01", "2024-12-31"),
         "规则不适用于 2019-05-01 取得的成果（有效期 2020-01-01 至 2024-12-31）",
         "rule not valid on 2019-05-01 (valid 2020-01-01 to 2024-12-31)"),
        (code.ANNUAL_CAP, ex.annual_cap(Decimal("42.0"), 2025),
         "已达到2025 年度上限 42.0 学分", "annual cap of 42.0 credits for 2025 reached"),
        # a reason kept before codes: English as it was, Chinese by its code
        (code.MAJOR_CAP, {"text": "major cap reached for M"},
         "已达到专业的证书学分上限（major cap reached for M）", "major cap reached for M"),
        (code.OTHER, {}, "未换算", "not converted"),  # a closed account's, its words erased
    ]  # fmt: skip
    for refusal, params, zh, en in cases:
        assert ex.refusal_texts(refusal, params) == ex.Text(zh, en)

    approval = domain.Approval("c", "o", "l", "OTHER", "CERT", None, date(2026, 1, 1),
                               datetime(2026, 2, 1, tzinfo=UTC))  # fmt: skip
    retired = [
        domain.Retirement("course", "C2", date(2026, 1, 1), "C2", "r2", 1),
        domain.Retirement("rule", "r3", date(2026, 1, 1), "C2", "r3", 2),
    ]
    [only] = domain.unreached(approval, [], retired)  # one reason per course
    assert (only.code, only.course_code, only.rule_id) == (code.RETIRED, "C2", "r2")
    [none] = domain.unreached(approval, [], [])
    assert (none.code, none.params, none.course_code) == (
        code.NO_RULE,
        {"credential": "CERT"},
        None,
    )


RETIRE = """mutation($kind: CatalogKind!, $code: String!, $day: Date!) {
  retireCatalogEntry(kind: $kind, code: $code, retiredFrom: $day) { action } }"""


async def test_what_is_retired_explains_why_it_converts_nothing(
    conversion, bus, admin, stack, clock
) -> None:
    clock.frozen_at = datetime(2030, 1, 2, tzinfo=UTC)
    decided = datetime(2030, 1, 2, 1, tzinfo=UTC)
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    kept, gone = await catalog.course("C1", "1.0", major), await catalog.course("C2", "1.0", major)
    both = await catalog.credential("BOTH")
    rules = {course: await catalog.rule(course, "1.0", credential=both) for course in (kept, gone)}
    _, old_credential = await catalog.course_with_rule("3", "1.0", major)
    ruled = await catalog.course("C4", "1.0", major)
    by_rule = await catalog.credential("RULED")
    rule = await catalog.rule(ruled, "1.0", credential=by_rule)
    for kind, code in (("COURSE", gone), ("CREDENTIAL_TYPE", old_credential), ("RULE", rule)):
        await catalog.run(RETIRE, kind=kind, code=code, day="2030-01-02")
    account, token = learner(stack)

    some = await bus.approve(account, both, decided_at=decided)
    view = await outcome_in(conversion, some, token)
    assert [c["credits"] for c in view["conversions"]] == ["1.0"]
    assert [(r["course"], r["rule"]) for r in view["conversionRefusals"]] == [
        ({"code": gone}, {"id": rules[gone], "version": 1})
    ]
    assert await refusals_in_both(conversion, some, token) == [
        (
            "RETIRED",
            f"课程 {gone} 自 2030-01-02 起已停用",
            f"the course {gone} is retired from 2030-01-02",
        )
    ]
    none = await bus.approve(account, old_credential, decided_at=decided)
    assert await refusals_in_both(conversion, none, token) == [
        (
            "RETIRED",
            f"证书类型 {old_credential} 自 2030-01-02 起已停用",
            f"the credential type {old_credential} is retired from 2030-01-02",
        )
    ]
    ruled_out = await bus.approve(account, by_rule, decided_at=decided)
    [refusal] = (await outcome_in(conversion, ruled_out, token))["conversionRefusals"]
    assert (refusal["code"], refusal["course"], refusal["rule"]) == (
        "RETIRED",
        {"code": ruled},
        {"id": rule, "version": 1},
    )
    assert refusal["reason"] == "the rule is retired from 2030-01-02"
