"""The bank's figures for admins (`Query.stats`, the entity `Stats`): accounts by role
and the ledger's credits by month in the bank's zone; nobody else reads them, by any
path."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from cbkit.auth import Role
from cbkit.jobs import run_once
from cbkit.testing import error_code, new_id
from services.accounts.domain import stats
from services.accounts.tests.conftest import (
    REDEEM,
    clock_at,
    consume,
    converted,
    gql,
    grant,
    offer,
    revoked,
)

STATS = """{ stats { id
  accountsByRole { role count disabled closed }
  creditsByMonth { month converted redeemed expired revoked reversed } } }"""
ENTITIES = """query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Stats { id accountsByRole { role count } creditsByMonth { month } } } }"""
DISABLE = """mutation($id: ID!) { disableAccount(id: $id, reason: "fraud") { id } }"""
REVERSE = """mutation($id: ID!) { reverseRedemption(id: $id, reason: "mistake") { id } }"""
BANK = [{"__typename": "Stats", "id": "bank"}]


async def figures(accounts, admin) -> dict[str, Any]:
    body = await gql(accounts, STATS, {}, admin.token)
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["stats"]
    return found


def by_role(found: dict[str, Any]) -> dict[str, tuple[int, int, int]]:
    return {r["role"]: (r["count"], r["disabled"], r["closed"]) for r in found["accountsByRole"]}


def month(name: str, **credits: str) -> dict[str, str]:
    kinds = ("converted", "redeemed", "expired", "revoked", "reversed")
    return {"month": name, **{kind: credits.get(kind, "0.0") for kind in kinds}}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_every_role_is_counted_zero_included():
    counted = stats.every_role([stats.RoleCount(Role.REVIEWER, 2, 1, 0)])
    assert [(c.role, c.count, c.disabled) for c in counted] == [
        (Role.LEARNER, 0, 0),
        (Role.REVIEWER, 2, 1),
        (Role.INSTITUTION, 0, 0),
        (Role.ADMIN, 0, 0),
    ]


async def test_accounts_are_counted_by_role(accounts, people):
    before = by_role(await figures(accounts, people.admin))
    assert list(before) == ["LEARNER", "REVIEWER", "INSTITUTION", "ADMIN"]

    first, _ = await people.learner(), await people.learner()
    await people.staff("REVIEWER", "Counted Reviewer")
    await people.staff("INSTITUTION", "Counted University")
    await gql(accounts, DISABLE, {"id": first.id}, people.admin.token)

    after = by_role(await figures(accounts, people.admin))
    change = {
        role: tuple(a - b for a, b in zip(after[role], before[role], strict=True)) for role in after
    }
    assert change == {
        "LEARNER": (2, 1, 0),
        "REVIEWER": (1, 0, 0),
        "INSTITUTION": (1, 0, 0),
        "ADMIN": (0, 0, 0),
    }


async def test_credits_are_summed_by_month_in_the_banks_zone(accounts, people):
    """Months of 2001, which no other test touches: the figures are exact."""
    learner = await people.learner()
    institution = await people.staff("INSTITUTION", "Figures University")
    tag = new_id()[:6]
    redeemed, kept, taken_back, lapsing = (f"{c}-{tag}" for c in ("RD", "KP", "RV", "EX"))
    # 23:00 in Shanghai on 31 May, then 01:00 on 1 June
    may = converted(learner.id, redeemed, "3.0")
    may.data["convertedAt"] = "2001-05-31T15:00:00Z"
    june = converted(learner.id, kept, "2.5")
    june.data["convertedAt"] = "2001-05-31T17:00:00Z"
    to_revoke = converted(learner.id, taken_back, "1.5")
    to_revoke.data["convertedAt"] = "2001-06-10T08:00:00Z"
    to_expire = converted(learner.id, lapsing, "4.0", expires_on="2001-08-31")
    to_expire.data["convertedAt"] = "2001-06-20T08:00:00Z"
    revocation = revoked(to_revoke)
    revocation.data["revokedAt"] = "2001-07-10T00:00:00Z"
    await grant(accounts, learner, institution)
    await offer(accounts, institution, redeemed)

    with clock_at(accounts, at("2001-09-01T03:00:00")):  # the expiry job runs in September
        for event in (may, june, to_revoke, to_expire, revocation):
            await consume(accounts, event)
        expiry = accounts.runtime.spec.jobs(accounts.runtime.deps)[0]
        await run_once(accounts.runtime.pool, expiry)
    with clock_at(accounts, at("2001-08-15T12:00:00")):
        body = await gql(
            accounts, REDEEM, {"learner": learner.id, "course": redeemed}, institution.token
        )
        assert "errors" not in body, body
    with clock_at(accounts, at("2001-08-20T12:00:00")):
        reversal = {"id": body["data"]["redeemCredits"]["id"]}
        assert "errors" not in await gql(accounts, REVERSE, reversal, institution.token)

    found = await figures(accounts, people.admin)
    assert found["id"] == "bank"
    months = [m for m in found["creditsByMonth"] if m["month"].startswith("2001-")]
    assert months == [
        month("2001-05", converted="3.0"),
        month("2001-06", converted="8.0"),
        month("2001-07", revoked="1.5"),
        month("2001-08", redeemed="3.0", reversed="3.0"),
        month("2001-09", expired="4.0"),
    ]
    names = [m["month"] for m in found["creditsByMonth"]]
    assert names == sorted(set(names))


@pytest.mark.parametrize("role", ["LEARNER", "REVIEWER", "INSTITUTION"])
async def test_only_admins_read_the_figures_by_any_path(accounts, people, role):
    caller = await people.learner() if role == "LEARNER" else await people.staff(role, "Curious")
    root = await gql(accounts, STATS, {}, caller.token)
    assert root["data"] is None and error_code(root) == ("FORBIDDEN", None)
    entities = await gql(accounts, ENTITIES, {"r": BANK}, caller.token)
    assert error_code(entities) == ("FORBIDDEN", None), entities
    assert entities["data"] == {"_entities": [None]}
    anonymous = await gql(accounts, STATS, {})
    assert error_code(anonymous) == ("UNAUTHENTICATED", None)


async def test_admins_reach_the_figures_through_entities_too(accounts, people):
    body = await gql(accounts, ENTITIES, {"r": BANK}, people.admin.token)
    assert "errors" not in body, body
    [entity] = body["data"]["_entities"]
    assert entity["id"] == "bank"
    assert [r["role"] for r in entity["accountsByRole"]] == [r.value for r in Role]
