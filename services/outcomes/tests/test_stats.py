"""Stats "bank" (an entity accounts owns): outcomes adds every learner's results by
status and by kind, each named (zero included), for admins only, on every path."""

import uuid

from cbkit.auth import Role
from cbkit.testing import error_code, gql, new_id
from services.outcomes.domain import OutcomeKind, OutcomeStatus, figures
from services.outcomes.tests.conftest import WITHDRAW, add_result, learner

STATS = """query($id: ID!) { _entities(representations: [{__typename: "Stats", id: $id}]) {
  ... on Stats { id resultsByStatus { status count } resultsByKind { kind count } } } }"""
STATUSES = [s.value for s in OutcomeStatus]
KINDS = [k.value for k in OutcomeKind]


async def figures_now(outcomes, admin):
    found = await gql(outcomes, STATS, {"id": "bank"}, admin)
    assert "errors" not in found, found
    stats = found["data"]["_entities"][0]
    assert stats["id"] == "bank"
    assert [s["status"] for s in stats["resultsByStatus"]] == STATUSES
    assert [k["kind"] for k in stats["resultsByKind"]] == KINDS
    return (
        {s["status"]: s["count"] for s in stats["resultsByStatus"]},
        {k["kind"]: k["count"] for k in stats["resultsByKind"]},
    )


async def test_admins_read_results_by_status_and_kind(outcomes, stack, bus):
    admin = stack.token(new_id(), Role.ADMIN)
    statuses_before, kinds_before = await figures_now(outcomes, admin)
    learner_id, token = learner(stack)
    online = await add_result(outcomes, token, kind="ONLINE_COURSE")
    await add_result(outcomes, token, kind="ONLINE_COURSE")
    experience = await add_result(outcomes, token, kind="WORK_EXPERIENCE")
    await bus.certification_step(outcomes, "approved", (online["id"], learner_id), 3)
    assert "errors" not in await gql(outcomes, WITHDRAW, {"id": experience["id"]}, token)

    statuses, kinds = await figures_now(outcomes, admin)
    assert {s: statuses[s] - statuses_before[s] for s in STATUSES} == {
        "SUBMITTED": 1,
        "IN_REVIEW": 0,
        "NEEDS_INFO": 0,
        "CERTIFIED": 1,
        "REJECTED": 0,
        "WITHDRAWN": 1,
    }
    assert {k: kinds[k] - kinds_before[k] for k in KINDS} == {
        "QUALIFICATION_CERTIFICATE": 0,
        "VOCATIONAL_TRAINING": 0,
        "ONLINE_COURSE": 2,
        "ACADEMIC_COURSE": 0,
        "WORK_EXPERIENCE": 1,
        "OTHER": 0,
    }
    async with outcomes.runtime.pool.acquire() as conn:
        total = await conn.fetchval("SELECT count(*) FROM outcomes")
        mine = await conn.fetchval(
            "SELECT count(*) FROM outcomes WHERE learner_id = $1", uuid.UUID(learner_id)
        )
    assert sum(statuses.values()) == sum(kinds.values()) == total and mine == 3


async def test_a_closed_learner_s_results_still_count(outcomes, stack, bus):
    admin = stack.token(new_id(), Role.ADMIN)
    learner_id, token = learner(stack)
    await add_result(outcomes, token, kind="ACADEMIC_COURSE")
    before = await figures_now(outcomes, admin)
    closure = {"accountId": learner_id, "role": "LEARNER", "closedAt": "2026-12-01T08:00:00Z"}
    await bus.told(outcomes, "account.closed", closure, "/services/accounts")
    assert await figures_now(outcomes, admin) == before


async def test_nobody_but_an_admin_reads_the_figures(outcomes, stack):
    for role in (Role.LEARNER, Role.REVIEWER, Role.INSTITUTION):
        found = await gql(outcomes, STATS, {"id": "bank"}, stack.token(new_id(), role))
        assert found["data"]["_entities"] == [None]
        assert error_code(found)[0] == "FORBIDDEN"
        assert "resultsBy" not in str(found["data"])
    anonymous = await gql(outcomes, STATS, {"id": "bank"})
    assert anonymous["data"]["_entities"] == [None]
    assert error_code(anonymous)[0] == "UNAUTHENTICATED"
    other = await gql(outcomes, STATS, {"id": "branch"}, stack.token(new_id(), Role.ADMIN))
    assert error_code(other) == ("NOT_FOUND", "id")


def test_every_status_and_kind_is_named_zero_included():
    counted = figures.every(OutcomeStatus, {OutcomeStatus.CERTIFIED: 4})
    assert counted == [(s, 4 if s is OutcomeStatus.CERTIFIED else 0) for s in OutcomeStatus]
    assert figures.every(OutcomeKind, {}) == [(k, 0) for k in OutcomeKind]
