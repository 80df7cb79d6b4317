"""Reviewers' and admins' messages end to end, through the gateway of a running
system whose cases are due two working days after submission (CB_DAYS_TO_DECIDE=2)
and whose deadlines job runs every second: the reviewer who claimed a learner's new
result finds "A case is due soon" in `me.notifications` (审核即将到期 when she asks
in Chinese), and when certification announces an unclaimed case overdue every admin
finds "A case is overdue"."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from cbkit.testing import RunningSystem, TestStack, eventually
from services.notifications.tests.conftest import CERTIFICATION, Bus

pytestmark = pytest.mark.asyncio(loop_scope="session")

ADMIN = ("admin@test.creditbank.local", "admin-test-password")
PASSWORD = "deadline-password-1"
LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"
OPEN = """mutation($e: String!, $p: String!) { openAccount(email: $e, password: $p,
  displayName: "Chen Jing") { token } }"""
STAFF = """mutation($r: Role!, $e: String!, $p: String!) { createStaffAccount(role: $r,
  email: $e, password: $p, displayName: "Zhou Min") { id } }"""
ADD = """mutation($t: String!) { addResult(input: {kind: WORK_EXPERIENCE, title: $t,
  issuer: "Sunshine Kindergarten", achievedOn: "2025-03-01", hours: 40, evidenceIds: []})
  { id } }"""
CASE = "query($id: ID!) { outcome(id: $id) { certification { id dueOn } } }"
CLAIM = "mutation($id: ID!) { claimCertification(id: $id) { id } }"
INBOX = """{ me { unreadNotifications notifications(first: 20) {
  nodes { kind title body about { type id } } } } }"""


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def system(stack: TestStack) -> AsyncIterator[RunningSystem]:
    """The services these messages cross and the gateway, cases due in two working days."""
    running = RunningSystem(stack, "dl")
    running.env |= {"CB_DAYS_TO_DECIDE": "2", "CB_JOB_NOTIFICATIONS_DEADLINES_SECONDS": "1"}
    try:
        await running.start(("accounts", "outcomes", "certification", "notifications", "gateway"))
        yield running
    finally:
        await running.stop()


async def ask(
    system: RunningSystem,
    query: str,
    token: str | None = None,
    language: str | None = None,
    **variables: Any,
) -> dict[str, Any]:
    """The gateway's data for `query`, which must hold no error."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if language:
        headers["Accept-Language"] = language
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(
            system.gateway, json={"query": query, "variables": variables}, headers=headers
        )
    body = response.json()
    assert not body.get("errors") and body.get("data"), body
    data: dict[str, Any] = body["data"]
    return data


async def inbox_of(
    system: RunningSystem, token: str, kind: str, language: str | None = None
) -> list[dict[str, Any]]:
    """The messages of `kind` in the caller's inbox, read through the gateway."""
    me = (await ask(system, INBOX, token, language))["me"]
    return [m for m in me["notifications"]["nodes"] if m["kind"] == kind]


@pytest.mark.timeout(180)
async def test_the_reviewer_is_told_a_claimed_case_is_due_soon_and_admins_of_an_overdue_one(
    system: RunningSystem, stack: TestStack
):
    tag = uuid.uuid4().hex[:8]
    first_admin = (await ask(system, LOGIN, e=ADMIN[0], p=ADMIN[1]))["login"]["token"]
    # staff the first admin creates
    staff = {}
    for role in ("ADMIN", "REVIEWER"):
        email = f"{role.lower()}.{tag}@deadlines.example.org"
        await ask(system, STAFF, first_admin, r=role, e=email, p=PASSWORD)
        staff[role] = (await ask(system, LOGIN, e=email, p=PASSWORD))["login"]["token"]
    admin, reviewer = staff["ADMIN"], staff["REVIEWER"]
    opened = await ask(system, OPEN, e=f"chen.{tag}@deadlines.example.org", p=PASSWORD)
    learner = opened["openAccount"]["token"]

    result = (await ask(system, ADD, learner, t="Nursery assistant"))["addResult"]["id"]
    found: dict[str, Any] = {}

    async def case_opened() -> bool:
        answer = await ask(system, CASE, reviewer, id=result)
        found.update(answer["outcome"]["certification"] or {})
        return bool(found)

    await eventually(case_opened, within=30)
    await ask(system, CLAIM, reviewer, id=found["id"])

    # the job reminds her of the case she claimed (due in two working days)
    async def reminded() -> bool:
        return bool(await inbox_of(system, reviewer, "CASE_DUE_SOON"))

    await eventually(reminded, within=60)
    [message] = await inbox_of(system, reviewer, "CASE_DUE_SOON")
    assert message["title"] == "A case is due soon"
    assert message["body"] == (
        f"A certification case is due on {found['dueOn']}; working days left: 2."
        " Result: “Nursery assistant”."
    )
    assert message["about"] == {"type": "CASE", "id": result}
    [chinese] = await inbox_of(system, reviewer, "CASE_DUE_SOON", language="zh-CN")
    assert chinese["title"] == "审核即将到期"
    assert chinese["body"].startswith(f"一个认证案件将于 {found['dueOn']} 到期，还剩 2 个工作日。")
    assert "学习成果：“Nursery assistant”。" in chinese["body"]
    # the learner is told nothing of the deadline
    assert await inbox_of(system, learner, "CASE_DUE_SOON") == []

    # certification announces another learner's unclaimed case overdue: every admin
    settings = stack.settings("notifications", "dl")
    overdue = {
        "caseId": str(uuid.uuid4()),
        "outcomeId": str(uuid.uuid4()),
        "learnerId": str(uuid.uuid4()),
        "reviewerId": None,
        "dueOn": "2026-11-27",
    }
    async with Bus.listening(settings, "notifications.#", CERTIFICATION) as bus:
        await bus.send("certification.overdue", overdue)

    async def admins_told() -> bool:
        return bool(await inbox_of(system, admin, "CASE_OVERDUE"))

    await eventually(admins_told, within=30)
    [notice] = await inbox_of(system, admin, "CASE_OVERDUE", language="zh-CN")
    assert notice["title"] == "审核已逾期"
    assert notice["body"].startswith("一个认证案件已于 2026-11-27 到期，尚未决定。")
    assert "尚无审核人认领。" in notice["body"]
    assert notice["about"] == {"type": "CASE", "id": overdue["outcomeId"]}
    [english] = await inbox_of(system, admin, "CASE_OVERDUE")
    assert english["title"] == "A case is overdue"
    # the first admin too, whom accounts announced as it started
    [first] = await inbox_of(system, first_admin, "CASE_OVERDUE")
    assert first["about"] == notice["about"]
    # the reviewer holds no part of it
    assert await inbox_of(system, reviewer, "CASE_OVERDUE") == []
