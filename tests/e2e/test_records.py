"""Issue 14 through the gateway, as its users meet it: the demo catalog (loaded by the
development seed) found by a Chinese search and named in the client's language; the
reference story's two conversions explained in Chinese and in English, and a result
that converts nothing saying why; refusals in either language with the same code and
field; a learner's results and a learner's review cases a page at a time; the bank's
figures for admins only; a member institution found in the directory, redeeming only
what it offers and reversing it; an admin disabling an account; a resubmission keeping
its file once; an account closed end to end (its id answers only its closure, the
evidence is gone, the bank's figures stay)."""

from __future__ import annotations

import asyncio
import sys
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
import pytest_asyncio

from cbkit.testing import RunningSystem, eventually
from tests.e2e import reference

PASSWORD = "records-password-1"
ADMIN = ("admin@test.creditbank.local", "admin-test-password")
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"
ZH = "zh-CN"

LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"
OPEN = """mutation($e: String!, $p: String!, $n: String!) {
  openAccount(email: $e, password: $p, displayName: $n) { token account { id } } }"""
STAFF = """mutation($e: String!, $p: String!) { createStaffAccount(role: REVIEWER, email: $e,
  password: $p, displayName: "Reviewer Zhou") { id } }"""
ADD = "mutation($i: AddResultInput!) { addResult(input: $i) { id } }"
CASE = "query($id: ID!) { outcome(id: $id) { status certification { id status } } }"
CLAIM = "mutation($id: ID!) { claimCertification(id: $id) { id } }"
APPROVE = """mutation($id: ID!, $c: String) { decideCertification(id: $id, decision: APPROVE,
  verifiedCredentialCode: $c) { status } }"""
CREDITS = """{ me { conversionsConnection(first: 20) { totalCount nodes {
  credits explanation ruleVersion outcome { id } course { code name nameZh nameEn } } }
  conversionRefusals(first: 20) { nodes { code reason outcome { id } } } } }"""
SEARCH = """query($t: String!) { searchCatalog(text: $t) { kind code name score
  major { code name nameZh nameEn } credentialType { code name nameZh nameEn } } }"""
STATS = """{ stats { id accountsByRole { role count }
  creditsByMonth { month converted redeemed expired revoked reversed }
  resultsByStatus { status count } resultsByKind { kind count }
  decisionsByMonth { month decided onTime late } } }"""
PAGE = """query($first: Int!, $after: String) { me { outcomesConnection(first: $first,
  after: $after) { totalCount edges { cursor node { id title } }
  pageInfo { hasNextPage endCursor } } } }"""

CERTIFICATES = {
    "CN-KINDERGARTEN-PRINCIPAL": (
        "Kindergarten principal qualification certificate",
        "幼儿园园长资格证",
        "PE-TRWM",
        "Teaching and research work management",
        "教研工作管理",
    ),
    "CN-PRESCHOOL-TEACHER": (
        "Preschool teacher qualification certificate",
        "幼儿园教师资格证",
        "PE-CGADO",
        "Children's game activity design and organization",
        "幼儿游戏活动设计与组织",
    ),
}
"""credential code: (English name, Chinese name, course code, course in English, in Chinese)"""


def chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


@dataclass
class Client:
    """A client of the gateway (GraphQL and the evidence routes)."""

    system: RunningSystem
    http: httpx.AsyncClient

    async def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        language: str | None = None,
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if language:
            headers["Accept-Language"] = language
        payload = {"query": query, "variables": variables or {}}
        response = await self.http.post(self.system.gateway, json=payload, headers=headers)
        body: dict[str, Any] = response.json()
        return body

    async def ok(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """`gql`'s answer, which must hold data and no error: its data."""
        body = await self.gql(*args, **kwargs)
        assert not body.get("errors") and body.get("data"), body
        data: dict[str, Any] = body["data"]
        return data

    async def login(self, email: str, password: str) -> str:
        token: str = (await self.ok(LOGIN, {"e": email, "p": password}))["login"]["token"]
        return token

    async def upload(self, token: str, content: bytes) -> str:
        response = await self.http.post(
            f"{self.system.url('gateway')}/evidence",
            files={"file": ("certificate.pdf", content, "application/pdf")},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 201, response.text
        evidence_id: str = response.json()["id"]
        return evidence_id

    async def evidence(self, evidence_id: str, token: str) -> httpx.Response:
        return await self.http.get(
            f"{self.system.url('gateway')}/evidence/{evidence_id}",
            headers={"Authorization": f"Bearer {token}"},
        )


@dataclass
class Learner:
    token: str
    id: str
    email: str
    password: str = PASSWORD
    results: dict[str, str] = field(default_factory=dict)
    """credential code (or a title) -> result id"""
    evidence: dict[str, str] = field(default_factory=dict)
    """credential code -> evidence id"""


@dataclass
class Staff:
    admin: str
    reviewer: str


async def open_learner(c: Client, name: str) -> Learner:
    email = f"{name.lower().replace(' ', '.')}.{uuid.uuid4().hex[:8]}@example.org"
    opened = (await c.ok(OPEN, {"e": email, "p": PASSWORD, "n": name}))["openAccount"]
    return Learner(opened["token"], opened["account"]["id"], email)


async def certified_story(c: Client, staff: Staff, name: str, online: bool = False) -> Learner:
    """The reference story: the learner deposits both certificates with their scans (and,
    if `online`, a 12-hour online course no rule converts), the reviewer approves each;
    until both conversions are credited."""
    learner = await open_learner(c, name)
    for code, (title, *_rest) in CERTIFICATES.items():
        evidence = await c.upload(learner.token, PDF + f"{code} {learner.id}".encode())
        added = await c.ok(ADD, {"i": reference.certificate(code, title, evidence)}, learner.token)
        learner.results[code], learner.evidence[code] = added["addResult"]["id"], evidence
    if online:
        scan = await c.upload(learner.token, PDF + f"MOOC {learner.id}".encode())
        course = {
            "kind": "ONLINE_COURSE",
            "title": "Early childhood nutrition MOOC",
            "issuer": "Chongqing Open University",
            "achievedOn": "2024-05-01",
            "hours": 12,
            "evidenceIds": [scan],
        }
        learner.results["online"] = (await c.ok(ADD, {"i": course}, learner.token))["addResult"][
            "id"
        ]
    for key, result_id in learner.results.items():
        await approve(c, staff, learner, result_id, key if key in CERTIFICATES else None)

    async def credited() -> bool:
        me = (await c.ok(CREDITS, token=learner.token))["me"]
        refused = {n["outcome"]["id"] for n in me["conversionRefusals"]["nodes"]}
        balance = (await c.ok("{ me { balance { earned } } }", token=learner.token))["me"]
        return (
            me["conversionsConnection"]["totalCount"] == 2
            and (not online or learner.results["online"] in refused)
            and Decimal(balance["balance"]["earned"]) == Decimal("5.5")  # in the ledger too
        )

    await eventually(credited, within=45)
    return learner


async def approve(
    c: Client, staff: Staff, learner: Learner, result_id: str, code: str | None
) -> None:
    case: dict[str, Any] = {}

    async def opened() -> bool:
        outcome = (await c.gql(CASE, {"id": result_id}, learner.token))["data"]["outcome"]
        case.update(outcome.get("certification") or {})
        return bool(case)

    await eventually(opened, within=30)
    await c.ok(CLAIM, {"id": case["id"]}, staff.reviewer)
    await c.ok(APPROVE, {"id": case["id"], "c": code}, staff.reviewer)

    async def certified() -> bool:
        outcome = (await c.ok(CASE, {"id": result_id}, learner.token))["outcome"]
        return bool(outcome["status"] == "CERTIFIED")

    await eventually(certified, within=30)


async def settled_stats(c: Client, admin: str) -> dict[str, Any]:
    """The bank's figures once events still crossing the broker (from earlier tests) have
    landed: two readings in a row the same."""
    readings: list[dict[str, Any]] = []

    async def steady() -> bool:
        readings.append((await c.ok(STATS, token=admin))["stats"])
        if len(readings) < 2 or readings[-1] != readings[-2]:
            await asyncio.sleep(0.5)
            return False
        return True

    await eventually(steady, within=30)
    return readings[-1]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def seeded(running_system: RunningSystem) -> RunningSystem:
    """The demo catalog, loaded as `make run` loads it (`python -m services.conversion
    seed`): bilingual names, the two certificates and the rules that convert them."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.conversion",
        "seed",
        env=running_system.env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return running_system


@pytest_asyncio.fixture(loop_scope="session")
async def c(seeded: RunningSystem) -> Any:
    async with httpx.AsyncClient(timeout=30) as http:
        yield Client(seeded, http)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def staff(seeded: RunningSystem) -> Staff:
    async with httpx.AsyncClient(timeout=30) as http:
        c = Client(seeded, http)
        admin = await c.login(*ADMIN)
        email = f"reviewer.{uuid.uuid4().hex[:8]}@example.org"
        await c.ok(STAFF, {"e": email, "p": PASSWORD}, admin)
        return Staff(admin, await c.login(email, PASSWORD))


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def story(seeded: RunningSystem, staff: Staff) -> Learner:
    async with httpx.AsyncClient(timeout=30) as http:
        return await certified_story(Client(seeded, http), staff, "Li Na", online=True)


# --- the catalog, in Chinese and English ------------------------------------------------


async def test_a_chinese_search_finds_the_principal_certificate_named_in_chinese(
    c: Client,
) -> None:
    found = (await c.ok(SEARCH, {"t": "园长"}, language=ZH))["searchCatalog"]
    assert found, "园长 found nothing"
    first = found[0]
    assert (first["kind"], first["code"]) == ("CREDENTIAL_TYPE", "CN-KINDERGARTEN-PRINCIPAL")
    assert first["name"] == "幼儿园园长资格证"
    assert first["credentialType"]["nameZh"] == "幼儿园园长资格证"
    assert first["credentialType"]["nameEn"] == "Kindergarten principal qualification certificate"
    assert [m["score"] for m in found] == sorted((m["score"] for m in found), reverse=True)

    english = (await c.ok(SEARCH, {"t": "园长"}))["searchCatalog"][0]
    assert english["code"] == "CN-KINDERGARTEN-PRINCIPAL"
    assert english["name"] == "Kindergarten principal qualification certificate"


async def test_an_english_search_finds_the_major_named_in_the_clients_language(
    c: Client,
) -> None:
    for language, name in ((ZH, "学前教育"), (None, "Preschool Education")):
        found = (await c.ok(SEARCH, {"t": "Preschool"}, language=language))["searchCatalog"]
        majors = [m for m in found if m["kind"] == "MAJOR"]
        assert [m["code"] for m in majors] == ["PRESCHOOL-EDU"], found
        assert majors[0]["name"] == name
        assert majors[0]["major"]["name"] == name
        assert (majors[0]["major"]["nameZh"], majors[0]["major"]["nameEn"]) == (
            "学前教育",
            "Preschool Education",
        )
    by_code = (await c.ok(SEARCH, {"t": "PE-CGADO"}, language=ZH))["searchCatalog"]
    assert (by_code[0]["kind"], by_code[0]["code"], by_code[0]["name"]) == (
        "COURSE",
        "PE-CGADO",
        "幼儿游戏活动设计与组织",
    )


# --- the reference story's conversions, explained ---------------------------------------


async def test_the_storys_two_conversions_are_explained_in_chinese_and_in_english(
    c: Client, story: Learner
) -> None:
    chinese_view = (await c.ok(CREDITS, token=story.token, language=ZH))["me"]
    english_view = (await c.ok(CREDITS, token=story.token))["me"]
    for view, language in ((chinese_view, "zh"), (english_view, "en")):
        conversions = view["conversionsConnection"]["nodes"]
        by_result = {n["outcome"]["id"]: n for n in conversions}
        for code, (name_en, name_zh, course, course_en, course_zh) in CERTIFICATES.items():
            conversion = by_result[story.results[code]]
            assert conversion["course"]["code"] == course
            assert (conversion["course"]["nameZh"], conversion["course"]["nameEn"]) == (
                course_zh,
                course_en,
            )
            explanation = conversion["explanation"]
            if language == "zh":
                assert conversion["course"]["name"] == course_zh
                assert course_zh in explanation and name_zh in explanation, explanation
            else:
                assert conversion["course"]["name"] == course_en
                assert course_en in explanation and name_en in explanation, explanation
                assert not chinese(explanation), explanation
            assert conversion["credits"] in explanation
            assert str(conversion["ruleVersion"]) in explanation


async def test_a_result_that_converts_nothing_says_why_in_either_language(
    c: Client, story: Learner
) -> None:
    def refusal_of(view: dict[str, Any]) -> dict[str, Any]:
        [refusal] = [
            n
            for n in view["me"]["conversionRefusals"]["nodes"]
            if n["outcome"]["id"] == story.results["online"]
        ]
        return refusal

    in_chinese = refusal_of(await c.ok(CREDITS, token=story.token, language=ZH))
    in_english = refusal_of(await c.ok(CREDITS, token=story.token))
    assert in_chinese["code"] == in_english["code"]
    assert in_chinese["code"] in ("NO_RULE", "BELOW_MIN_HOURS")
    assert chinese(in_chinese["reason"]) and not chinese(in_english["reason"])


@pytest.mark.parametrize(
    ("operation", "variables", "field"),
    [
        (SEARCH, {"t": "   "}, "text"),
        ('{ searchCatalog(text: "园长", first: 101) { code } }', {}, "first"),
        (PAGE, {"first": 101}, "first"),
        (PAGE, {"first": 5, "after": "not-a-cursor"}, "after"),
    ],
)
async def test_a_refusal_reads_in_chinese_with_the_same_code_and_field(
    c: Client, operation: str, variables: dict[str, Any], field: str
) -> None:
    learner = await open_learner(c, "Liu Yang")
    english = await c.gql(operation, variables, learner.token)
    in_chinese = await c.gql(operation, variables, learner.token, language=ZH)
    [error_en], [error_zh] = english["errors"], in_chinese["errors"]
    assert error_en["extensions"]["field"] == error_zh["extensions"]["field"] == field
    assert error_en["extensions"]["code"] == error_zh["extensions"]["code"]
    assert error_en["extensions"]["code"] in ("BAD_USER_INPUT", "BAD_REQUEST")
    assert chinese(error_zh["message"]) and not chinese(error_en["message"]), (error_zh, error_en)


# --- pages -------------------------------------------------------------------------------


async def test_a_learners_results_page_through_the_gateway_newest_first(c: Client) -> None:
    learner = await open_learner(c, "Zhang Wei")
    added = []
    for n in range(7):
        experience = {
            "kind": "WORK_EXPERIENCE",
            "title": f"Kindergarten assistant, term {n + 1}",
            "issuer": "Sunshine Kindergarten",
            "achievedOn": f"2024-0{n + 1}-15",
            "hours": 100 + n,
            "evidenceIds": [],
        }
        added.append((await c.ok(ADD, {"i": experience}, learner.token))["addResult"]["id"])

    seen: list[str] = []
    pages: list[tuple[int, bool]] = []
    after: str | None = None
    while True:
        page = (await c.ok(PAGE, {"first": 3, "after": after}, learner.token))["me"]
        connection = page["outcomesConnection"]
        assert connection["totalCount"] == 7
        edges = connection["edges"]
        seen += [edge["node"]["id"] for edge in edges]
        info = connection["pageInfo"]
        pages.append((len(edges), info["hasNextPage"]))
        if edges:
            assert info["endCursor"] == edges[-1]["cursor"]
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert pages == [(3, True), (3, True), (1, False)]
    assert seen == list(reversed(added))  # newest first, each once

    # the old list still answers, the same results
    old = await c.ok("{ me { outcomes { id } } }", token=learner.token)
    assert sorted(o["id"] for o in old["me"]["outcomes"]) == sorted(added)


# --- closing an account ------------------------------------------------------------------


async def test_a_closed_account_answers_only_its_closure_and_leaves_the_figures(
    c: Client, staff: Staff
) -> None:
    learner = await certified_story(c, staff, "Chen Jing")
    evidence = learner.evidence["CN-KINDERGARTEN-PRINCIPAL"]
    outcome = learner.results["CN-KINDERGARTEN-PRINCIPAL"]
    assert (await c.evidence(evidence, learner.token)).status_code == 200
    account = "query($id: ID!) { account(id: $id) { id closedAt displayName } }"
    before = await c.ok(account, {"id": learner.id}, staff.admin)
    assert before["account"] == {"id": learner.id, "closedAt": None, "displayName": "Chen Jing"}
    figures = await settled_stats(c, staff.admin)

    wrong = await c.gql(
        'mutation { closeAccount(password: "not-her-password") { closedAt } }',
        token=learner.token,
    )
    assert wrong["errors"], wrong
    closed = (
        await c.ok(
            "mutation($p: String!) { closeAccount(password: $p) { accountId closedAt } }",
            {"p": learner.password},
            learner.token,
        )
    )["closeAccount"]
    assert closed["accountId"] == learner.id

    # the id answers its closure, nothing else
    only = await c.ok("query($id: ID!) { account(id: $id) { id closedAt } }", {"id": learner.id},
                      staff.admin)  # fmt: skip
    assert only["account"] == {"id": learner.id, "closedAt": closed["closedAt"]}
    for language in (None, ZH):
        refused = await c.gql(account, {"id": learner.id}, staff.admin, language)
        assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert refused["errors"][0]["path"][-1] == "displayName"
        assert chinese(refused["errors"][0]["message"]) == (language == ZH)
    me = await c.gql("{ me { id displayName } }", token=learner.token)
    assert me.get("errors") or me["data"]["me"] is None, me
    again = await c.gql(LOGIN, {"e": learner.email, "p": learner.password})
    assert again["errors"], again

    # every service forgets her: the result is gone, the file with it
    async def forgotten() -> bool:
        found = await c.gql("query($id: ID!) { outcome(id: $id) { id title } }", {"id": outcome},
                            staff.admin)  # fmt: skip
        errors = found.get("errors") or []
        gone = bool(errors) and errors[0]["extensions"]["code"] == "NOT_FOUND"
        return gone and (await c.evidence(evidence, staff.reviewer)).status_code == 404

    await eventually(forgotten, within=30)
    assert (await c.evidence(evidence, learner.token)).status_code != 200

    # the bank's figures hold: results, decisions and credits are counted as before
    after = (await c.ok(STATS, token=staff.admin))["stats"]
    assert after == figures


# --- the operators' view -----------------------------------------------------------------

QUEUE = """query($learner: ID!, $after: String) { reviewQueueConnection(first: 2, after: $after,
  learnerId: $learner) { totalCount edges { cursor node { id outcome { id title } } }
  pageInfo { hasNextPage endCursor } } }"""


def counted(figures: list[dict[str, Any]], key: str) -> dict[str, int]:
    return {entry[key]: entry["count"] for entry in figures}


async def test_an_admin_reads_the_banks_figures_from_every_service_and_no_one_else(
    c: Client, staff: Staff
) -> None:
    before = await settled_stats(c, staff.admin)
    assert before["id"] == "bank"
    assert set(counted(before["accountsByRole"], "role")) == {
        "LEARNER",
        "REVIEWER",
        "INSTITUTION",
        "ADMIN",
    }
    assert "WITHDRAWN" in counted(before["resultsByStatus"], "status")
    assert "OTHER" in counted(before["resultsByKind"], "kind")

    learner = await open_learner(c, "Sun Li")
    experience = {
        "kind": "WORK_EXPERIENCE",
        "title": "Playground safety officer",
        "issuer": "Sunshine Kindergarten",
        "achievedOn": "2024-09-01",
        "hours": 300,
        "evidenceIds": [],
    }
    await c.ok(ADD, {"i": experience}, learner.token)
    after = (await c.ok(STATS, token=staff.admin))["stats"]
    roles_before, roles_after = (counted(s["accountsByRole"], "role") for s in (before, after))
    assert roles_after == {**roles_before, "LEARNER": roles_before["LEARNER"] + 1}
    kinds_before, kinds_after = (counted(s["resultsByKind"], "kind") for s in (before, after))
    assert kinds_after == {**kinds_before, "WORK_EXPERIENCE": kinds_before["WORK_EXPERIENCE"] + 1}
    statuses = counted(after["resultsByStatus"], "status")
    assert statuses["SUBMITTED"] == counted(before["resultsByStatus"], "status")["SUBMITTED"] + 1

    for token in (learner.token, staff.reviewer):
        for language in (None, ZH):
            refused = await c.gql(STATS, token=token, language=language)
            assert refused["data"] is None
            assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
            assert chinese(refused["errors"][0]["message"]) == (language == ZH)
    # asking only for figures another service holds: refused all the same
    outcomes_only = await c.gql("{ stats { resultsByKind { kind count } } }", token=learner.token)
    assert outcomes_only["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_review_queue_of_one_learner_pages_through_the_gateway(
    c: Client, staff: Staff
) -> None:
    learner = await open_learner(c, "Zhao Min")
    added = set()
    for n in range(5):
        experience = {
            "kind": "WORK_EXPERIENCE",
            "title": f"Nursery volunteer, year {n + 1}",
            "issuer": "Community nursery",
            "achievedOn": f"202{n}-06-01",
            "hours": 50 + n,
            "evidenceIds": [],
        }
        added.add((await c.ok(ADD, {"i": experience}, learner.token))["addResult"]["id"])

    async def opened() -> bool:
        queue = await c.ok(QUEUE, {"learner": learner.id}, staff.admin)
        return bool(queue["reviewQueueConnection"]["totalCount"] == 5)

    await eventually(opened, within=30)
    seen: list[str] = []
    sizes: list[int] = []
    after: str | None = None
    while True:
        queue = (await c.ok(QUEUE, {"learner": learner.id, "after": after}, staff.admin))[
            "reviewQueueConnection"
        ]
        assert queue["totalCount"] == 5
        seen += [edge["node"]["outcome"]["id"] for edge in queue["edges"]]
        sizes.append(len(queue["edges"]))
        if not queue["pageInfo"]["hasNextPage"]:
            break
        after = queue["pageInfo"]["endCursor"]
    assert sizes == [2, 2, 1]
    assert len(seen) == len(set(seen)) and set(seen) == added


# --- member institutions ---------------------------------------------------------------

INSTITUTION = """mutation($e: String!, $p: String!, $n: String!) { createStaffAccount(
  role: INSTITUTION, email: $e, password: $p, displayName: $n) { id } }"""
PROFILE = """mutation($i: ID!, $c: String!, $zh: String!, $en: String!) { setInstitutionProfile(
  institutionId: $i, code: $c, nameZh: $zh, nameEn: $en, city: "重庆") { code name } }"""
OFFER = """mutation($codes: [String!]!) { setCoursesOffered(courseCodes: $codes) {
  coursesOffered { code name } } }"""
DIRECTORY = """query($s: String!) { institutions(search: $s) { totalCount
  nodes { id code name nameZh nameEn city } } }"""
GRANT = """mutation($i: ID!, $x: DateTime!) { grantConsent(institutionId: $i, expiresAt: $x)
  { active } }"""
REDEEM = """mutation($l: ID!, $c: String!) { redeemCredits(learnerId: $l, courseCode: $c)
  { id courseCode credits } }"""
REVERSE = """mutation($id: ID!, $r: String!) { reverseRedemption(id: $id, reason: $r)
  { reversedAt reversalReason } }"""
HOLDINGS = """{ me { balance { available } conversionsConnection(first: 10) {
  nodes { status course { code } } } ledgerConnection(first: 1) { nodes { kind credits } } } }"""


async def test_an_institution_found_in_the_directory_redeems_what_it_offers_and_reverses_it(
    c: Client, staff: Staff
) -> None:
    learner = await certified_story(c, staff, "Huang Lei")
    tag = uuid.uuid4().hex[:6].upper()
    email = f"admissions.{tag.lower()}@cqnu.example.org"
    created = await c.ok(INSTITUTION, {"e": email, "p": PASSWORD, "n": "CQNU"}, staff.admin)
    institution_id = created["createStaffAccount"]["id"]
    university = await c.login(email, PASSWORD)
    names = {"zh": f"重庆师范大学{tag}", "en": f"Chongqing Normal University {tag}"}
    profile = {"i": institution_id, "c": f"CQNU-{tag}", **names}
    await c.ok(PROFILE, profile, university)

    async def offers() -> bool:  # accounts learns the catalog's courses from its events
        answer = await c.gql(OFFER, {"codes": ["PE-CGADO"]}, university, ZH)
        offered = ((answer.get("data") or {}).get("setCoursesOffered") or {}).get("coursesOffered")
        return offered == [{"code": "PE-CGADO", "name": "幼儿游戏活动设计与组织"}]

    await eventually(offers, within=30)

    # the learner finds it by a part of its Chinese name, and names it in her language
    found = (await c.ok(DIRECTORY, {"s": f"师范大学{tag}"}, learner.token, ZH))["institutions"]
    assert found["totalCount"] == 1
    assert found["nodes"] == [
        {
            "id": institution_id,
            "code": f"CQNU-{tag}",
            "name": names["zh"],
            "nameZh": names["zh"],
            "nameEn": names["en"],
            "city": "重庆",
        }
    ]
    english = await c.ok(DIRECTORY, {"s": f"normal university {tag}"}, learner.token)
    assert [n["name"] for n in english["institutions"]["nodes"]] == [names["en"]]
    expires = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    await c.ok(GRANT, {"i": institution_id, "x": expires}, learner.token)

    # a course it does not offer is refused, in either language, naming courseCode
    for language in (None, ZH):
        refused = await c.gql(REDEEM, {"l": learner.id, "c": "PE-TRWM"}, university, language)
        assert refused["errors"][0]["extensions"]["field"] == "courseCode"
        assert chinese(refused["errors"][0]["message"]) == (language == ZH)
    redeemed = (await c.ok(REDEEM, {"l": learner.id, "c": "PE-CGADO"}, university))["redeemCredits"]
    assert (redeemed["courseCode"], Decimal(redeemed["credits"])) == ("PE-CGADO", Decimal("2.5"))

    async def holding(available: str, status: str) -> bool:
        me = (await c.ok(HOLDINGS, token=learner.token))["me"]
        statuses = {n["course"]["code"]: n["status"] for n in me["conversionsConnection"]["nodes"]}
        return bool(
            Decimal(me["balance"]["available"]) == Decimal(available)
            and statuses == {"PE-TRWM": "ACTIVE", "PE-CGADO": status}
        )

    await eventually(lambda: holding("3.0", "REDEEMED"), within=30)

    # reversed with a reason: the credits come back as a ledger entry, the conversion is active
    reason = "enrolment cancelled"
    reversed_ = await c.ok(REVERSE, {"id": redeemed["id"], "r": reason}, university)
    assert reversed_["reverseRedemption"]["reversalReason"] == reason
    await eventually(lambda: holding("5.5", "ACTIVE"), within=30)
    ledger = (await c.ok(HOLDINGS, token=learner.token))["me"]["ledgerConnection"]["nodes"]
    assert ledger[0]["kind"] == "REVERSED"
    again = await c.gql(REVERSE, {"id": redeemed["id"], "r": reason}, university)
    assert again["errors"], again


# --- operators -------------------------------------------------------------------------


async def test_an_admin_finds_disables_and_enables_an_account(c: Client, staff: Staff) -> None:
    learner = await open_learner(c, "Ma Jun")
    listed = await c.ok(
        "query($s: String!) { accounts(search: $s, role: LEARNER) { totalCount nodes { id } } }",
        {"s": learner.email.upper()},
        staff.admin,
    )
    assert listed["accounts"] == {"totalCount": 1, "nodes": [{"id": learner.id}]}
    disable = """mutation($id: ID!) { disableAccount(id: $id, reason: "reported fraud")
      { disabledAt disabledReason } }"""
    disabled = (await c.ok(disable, {"id": learner.id}, staff.admin))["disableAccount"]
    assert disabled["disabledAt"] and disabled["disabledReason"] == "reported fraud"
    for language in (None, ZH):
        refused = await c.gql(LOGIN, {"e": learner.email, "p": PASSWORD}, language=language)
        assert refused["data"] is None
        assert chinese(refused["errors"][0]["message"]) == (language == ZH)
    await c.ok("mutation($id: ID!) { enableAccount(id: $id) { id } }", {"id": learner.id},
               staff.admin)  # fmt: skip
    assert await c.login(learner.email, PASSWORD)
    refused = await c.gql("{ accounts { totalCount } }", token=learner.token)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


# --- small things learners hit -----------------------------------------------------------

REQUEST_INFO = """mutation($id: ID!) { decideCertification(id: $id, decision: REQUEST_INFO,
  reason: "the scan is unreadable") { status } }"""
RESUBMIT = """mutation($id: ID!, $e: [ID!]) { resubmitResult(id: $id, note: "a sharper scan",
  evidenceIds: $e) { status evidence { id } } }"""


async def test_a_resubmission_naming_the_file_already_attached_keeps_it_once(
    c: Client, staff: Staff
) -> None:
    learner = await open_learner(c, "Guo Xin")
    first = await c.upload(learner.token, PDF + f"blurred {learner.id}".encode())
    result = {
        "kind": "QUALIFICATION_CERTIFICATE",
        "title": "Preschool teacher qualification certificate",
        "issuer": "Ministry of Education",
        "credentialCode": "CN-PRESCHOOL-TEACHER",
        "achievedOn": "2022-06-30",
        "evidenceIds": [first],
    }
    result_id = (await c.ok(ADD, {"i": result}, learner.token))["addResult"]["id"]
    case: dict[str, Any] = {}

    async def opened() -> bool:
        outcome = (await c.ok(CASE, {"id": result_id}, learner.token))["outcome"]
        case.update(outcome.get("certification") or {})
        return bool(case)

    await eventually(opened, within=30)
    await c.ok(CLAIM, {"id": case["id"]}, staff.reviewer)
    await c.ok(REQUEST_INFO, {"id": case["id"]}, staff.reviewer)

    async def needs_info() -> bool:
        outcome = (await c.ok(CASE, {"id": result_id}, learner.token))["outcome"]
        return bool(outcome["status"] == "NEEDS_INFO")

    await eventually(needs_info, within=30)
    sharper = await c.upload(learner.token, PDF + f"sharp {learner.id}".encode())
    resubmitted = (await c.ok(RESUBMIT, {"id": result_id, "e": [first, sharper]}, learner.token))[
        "resubmitResult"
    ]
    assert sorted(e["id"] for e in resubmitted["evidence"]) == sorted([first, sharper])


async def test_the_learner_reads_why_next_to_the_result_and_admins_read_the_catalogs_history(
    c: Client, staff: Staff, story: Learner
) -> None:
    beside = """query($id: ID!) { outcome(id: $id) { conversions { course { code } }
      conversionRefusals { code reason } } }"""
    online = (await c.ok(beside, {"id": story.results["online"]}, story.token, ZH))["outcome"]
    assert online["conversions"] == []
    [refusal] = online["conversionRefusals"]
    assert refusal["code"] in ("NO_RULE", "BELOW_MIN_HOURS") and chinese(refusal["reason"])
    principal = story.results["CN-KINDERGARTEN-PRINCIPAL"]
    granted = (await c.ok(beside, {"id": principal}, story.token))["outcome"]
    assert granted["conversions"] == [{"course": {"code": "PE-TRWM"}}]

    history = """{ catalogHistory(kind: COURSE, code: "PE-TRWM", first: 50) { totalCount
      nodes { kind code action changedAt after } } }"""
    changes = (await c.ok(history, token=staff.admin))["catalogHistory"]
    assert changes["totalCount"] >= 1
    assert {(n["kind"], n["code"]) for n in changes["nodes"]} == {("COURSE", "PE-TRWM")}
    assert any(n["after"] and "教研工作管理" in str(n["after"]) for n in changes["nodes"])
    for token in (story.token, staff.reviewer):
        refused = await c.gql(history, token=token)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
