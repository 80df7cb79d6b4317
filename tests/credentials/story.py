"""The reference story (Chongqing Academic Credit Bank) as far as the credentials need
it, told to a running system through its gateway only: an admin sets up the catalog, a
kindergarten teacher deposits her two qualification certificates and consents to a
university, a reviewer certifies both, their credits convert and she is awarded the
"Kindergarten management" certificate. The credential tests and the committed examples
(`python -m tests.credentials.examples`) start from here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from cbkit.testing import eventually, gql
from tests.e2e import reference
from tests.e2e.test_story import CATALOG, PDF

RESULTS = (
    ("CN-KINDERGARTEN-PRINCIPAL", "Kindergarten principal qualification certificate"),
    ("CN-PRESCHOOL-TEACHER", "Preschool teacher qualification certificate"),
)
PROGRAM = "PE-KINDERGARTEN-MANAGEMENT"


@dataclass(frozen=True)
class Told:
    """Who the story made, with their tokens, and what the teacher was awarded."""

    admin: str
    teacher: str
    teacher_id: str
    university: str
    serial: str
    conversions: dict[str, str]
    """The teacher's conversion ids by course code."""


async def ok(
    http: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> dict[str, Any]:
    """The data of an operation sent through the gateway (`http`'s base URL), which must
    not be refused."""
    answer = await gql(http, query, variables, token)
    assert "errors" not in answer, answer
    data: dict[str, Any] = answer["data"]
    return data


async def login(http: httpx.AsyncClient, email: str, password: str) -> tuple[str, str]:
    data = await ok(
        http,
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p)"
        " { token account { id } } }",
        {"e": email, "p": password},
    )
    return data["login"]["token"], data["login"]["account"]["id"]


async def tell(http: httpx.AsyncClient, admin_email: str, admin_password: str) -> Told:
    """The story, up to the teacher's certificate, against the gateway `http` talks to."""
    tag = uuid.uuid4().hex[:6]
    admin, _ = await login(http, admin_email, admin_password)
    for mutation in CATALOG:
        await ok(http, f"mutation {{ {mutation} }}", token=admin)
    staff = {}
    for role, name in (
        ("REVIEWER", "Reviewer Gao"),
        ("INSTITUTION", "Chongqing Normal University"),
    ):
        email = f"{role.lower()}.{tag}@example.org"
        await ok(
            http,
            "mutation($r: Role!, $e: String!, $n: String!) { createStaffAccount(role: $r,"
            ' email: $e, password: "staff-password-1", displayName: $n) { id } }',
            {"r": role, "e": email, "n": name},
            admin,
        )
        staff[role] = await login(http, email, "staff-password-1")
    reviewer, _ = staff["REVIEWER"]
    university, university_id = staff["INSTITUTION"]

    opened = await ok(
        http,
        'mutation($e: String!) { openAccount(email: $e, password: "teacher-password-1",'
        ' displayName: "Li Na") { token account { id } } }',
        {"e": f"li.na.{tag}@example.org"},
    )
    teacher = opened["openAccount"]["token"]
    teacher_id = opened["openAccount"]["account"]["id"]
    await ok(
        http,
        "mutation($i: ID!, $x: DateTime!) { grantConsent(institutionId: $i, expiresAt: $x)"
        " { id } }",
        {"i": university_id, "x": (datetime.now(UTC) + timedelta(days=180)).isoformat()},
        teacher,
    )
    for code, title in RESULTS:
        uploaded = await http.post(
            "/evidence",
            files={"file": (f"{code}.pdf", PDF + code.encode(), "application/pdf")},
            headers={"Authorization": f"Bearer {teacher}"},
        )
        assert uploaded.status_code == 201, uploaded.text
        added = await ok(
            http,
            "mutation($i: AddResultInput!) { addResult(input: $i) { id } }",
            {"i": reference.certificate(code, title, uploaded.json()["id"])},
            teacher,
        )
        await certify(http, added["addResult"]["id"], code, teacher, reviewer)

    async def awarded() -> bool:
        found = await ok(http, "{ me { certificates { serial } } }", token=teacher)
        return bool(found["me"]["certificates"])

    await eventually(awarded, within=30)
    me = await ok(
        http,
        "{ me { certificates { serial program { code } } conversions { id course { code } } } }",
        token=teacher,
    )
    [certificate] = me["me"]["certificates"]
    assert certificate["program"]["code"] == PROGRAM
    return Told(
        admin=admin,
        teacher=teacher,
        teacher_id=teacher_id,
        university=university,
        serial=certificate["serial"],
        conversions={c["course"]["code"]: c["id"] for c in me["me"]["conversions"]},
    )


async def certify(
    http: httpx.AsyncClient, result_id: str, code: str, learner: str, reviewer: str
) -> None:
    """The reviewer claims the result's case once it is open and approves it."""
    case = "query($id: ID!) { outcome(id: $id) { certification { id } } }"

    async def opened() -> bool:
        found = await gql(http, case, {"id": result_id}, learner)
        return bool(((found.get("data") or {}).get("outcome") or {}).get("certification"))

    await eventually(opened, within=30)
    case_id = (await ok(http, case, {"id": result_id}, learner))["outcome"]["certification"]["id"]
    await ok(
        http, "mutation($id: ID!) { claimCertification(id: $id) { id } }", {"id": case_id}, reviewer
    )
    await ok(
        http,
        "mutation($id: ID!, $v: String) { decideCertification(id: $id, decision: APPROVE,"
        " verifiedCredentialCode: $v) { status } }",
        {"id": case_id, "v": code},
        reviewer,
    )
