"""Who reads what a learner was credited, on every path into conversion: each kind of
caller against every field of `Account`, `Outcome` and `Conversion`, reached by
`_entities` directly and through nested fields; the root fields (the catalog, public,
and revoking a conversion, an admin's)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import pytest_asyncio

from cbkit.auth import Role
from cbkit.testing import TestStack, error_code, gql, handled, new_id
from services.conversion.tests.conftest import Bus, Credited, consent_to, credited_learner

ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on %s { %s } } }"
CONVERSION_FIELDS = (
    "id credits status convertedAt expiresOn outcome { id } learner { id } course { code }"
    " rule { id }"
)
PATHS = {
    "Account.conversions": ("Account", "learner", f"conversions {{ {CONVERSION_FIELDS} }}"),
    "Account.certificates": (
        "Account",
        "learner",
        "certificates { serial awardedAt flagged flagReason learner { id } program { code } }",
    ),
    "Outcome.conversions": ("Outcome", "converted", f"conversions {{ {CONVERSION_FIELDS} }}"),
    "Outcome.conversionRefusals": (
        "Outcome",
        "declined",
        "conversionRefusals { reason at outcome { id } course { code } }",
    ),
    "Outcome.conversions of a pending outcome": ("Outcome", "pending", "conversions { id }"),
    "Conversion, every field": ("Conversion", "conversion", CONVERSION_FIELDS),
    "nested: Conversion.outcome.conversionRefusals": (
        "Conversion",
        "conversion",
        "outcome { conversionRefusals { reason } }",
    ),
    "nested: Account.certificates.learner.conversions": (
        "Account",
        "learner",
        "certificates { learner { conversions { id } } }",
    ),
    "nested: Outcome.conversionRefusals.outcome.conversions": (
        "Outcome",
        "declined",
        "conversionRefusals { outcome { conversions { id } } }",
    ),
}
READERS = ("the learner", "an admin", "an institution with an active consent")
REFUSED = {
    "anonymous": "UNAUTHENTICATED",
    "another learner": "FORBIDDEN",
    "the reviewer who decided the learner's case": "FORBIDDEN",
    "a reviewer without a case of the learner": "FORBIDDEN",
    "an institution without a consent": "FORBIDDEN",
    "an institution whose consent was revoked": "FORBIDDEN",
    "an institution whose consent expired": "FORBIDDEN",
}
FAR = datetime(2099, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class World:
    learner: Credited
    conversion_id: str
    callers: dict[str, str | None]

    def key(self, which: str) -> str:
        if which == "learner":
            return self.learner.id
        if which == "conversion":
            return self.conversion_id
        event = getattr(self.learner, which)
        key: str = event.data["outcomeId"]
        return key


async def consented_institutions(conversion: httpx.AsyncClient, bus: Bus, learner: str) -> dict:
    """Institutions with an active, a revoked and an expired consent of the learner."""
    institutions = {state: new_id() for state in ("active", "revoked", "expired")}
    revoked = consent_to(learner, institutions["revoked"])
    expired = datetime(2025, 6, 1, tzinfo=UTC)  # already, by the service's (real) clock
    for event in (
        await bus.grant(consent_to(learner, institutions["active"]), FAR),
        await bus.grant(consent_to(learner, institutions["expired"]), expired),
        await bus.grant(revoked, FAR),
        await bus.revoke(revoked, datetime(2025, 2, 1, tzinfo=UTC)),
    ):
        await handled(conversion, event)
    return institutions


def callers(stack: TestStack, admin: str, credited: Credited, institutions: dict) -> dict:
    """Each kind of caller's token (None: anonymous)."""

    def institution(state: str) -> str:
        return stack.token(institutions[state], Role.INSTITUTION)

    def anyone(role: Role) -> str:
        return stack.token(new_id(), role)

    reviewer = credited.converted.data["reviewerId"]
    return {
        "the learner": credited.token,
        "an admin": admin,
        "an institution with an active consent": institution("active"),
        "anonymous": None,
        "another learner": anyone(Role.LEARNER),
        "the reviewer who decided the learner's case": stack.token(reviewer, Role.REVIEWER),
        "a reviewer without a case of the learner": anyone(Role.REVIEWER),
        "an institution without a consent": anyone(Role.INSTITUTION),
        "an institution whose consent was revoked": institution("revoked"),
        "an institution whose consent expired": institution("expired"),
    }


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def world(conversion: httpx.AsyncClient, bus: Bus, admin: str, stack: TestStack) -> World:
    credited = await credited_learner(conversion, bus, admin, stack)
    institutions = await consented_institutions(conversion, bus, credited.id)
    outcome = credited.converted.data["outcomeId"]
    [found] = await entities(conversion, "Outcome", outcome, "conversions { id }", credited.token)
    return World(
        credited, found["conversions"][0]["id"], callers(stack, admin, credited, institutions)
    )


def query(typename: str, key: str, selection: str) -> tuple[str, dict[str, Any]]:
    """The `_entities` query of `selection` on the `typename` of `key`, and its variables."""
    variables = {"r": [{"__typename": typename, "id": key}]}
    return ENTITIES % (typename, selection), variables


async def entities(
    client: httpx.AsyncClient, typename: str, key: str, selection: str, token: str | None
) -> list[Any]:
    """What the holder of `token` reads, with no error."""
    answer = await gql(client, *query(typename, key, selection), token)
    assert "errors" not in answer, answer
    found: list[Any] = answer["data"]["_entities"]
    return found


async def read(client: httpx.AsyncClient, world: World, path: str, caller: str) -> dict[str, Any]:
    typename, which, selection = PATHS[path]
    return await gql(client, *query(typename, world.key(which), selection), world.callers[caller])


async def seen(client: httpx.AsyncClient, world: World, path: str) -> Any:
    """What the learner reads of `path`."""
    typename, which, selection = PATHS[path]
    [found] = await entities(client, typename, world.key(which), selection, world.learner.token)
    return found


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("caller", [*READERS, *REFUSED])
async def test_each_caller_reads_a_learners_credits_only_as_the_policy_says(
    conversion, world, path, caller
) -> None:
    answer = await read(conversion, world, path, caller)
    if caller in READERS:
        assert "errors" not in answer, answer
        assert answer == await read(conversion, world, path, "the learner")
    else:
        assert answer["data"] == {"_entities": [None]}
        assert error_code(answer) == (REFUSED[caller], None)


async def test_the_learner_reads_every_path_in_full(conversion, world) -> None:
    [converted] = (await seen(conversion, world, "Account.conversions"))["conversions"]
    assert (converted["id"], converted["credits"]) == (world.conversion_id, "2.0")
    assert converted["learner"] == {"id": world.learner.id}
    assert await seen(conversion, world, "Conversion, every field") == converted
    assert len((await seen(conversion, world, "Account.certificates"))["certificates"]) == 1
    declined = await seen(conversion, world, "Outcome.conversionRefusals")
    assert [r["reason"] for r in declined["conversionRefusals"]] == ["course already credited"]
    pending = await seen(conversion, world, "Outcome.conversions of a pending outcome")
    assert pending == {"conversions": []}


async def test_a_refusal_says_what_may_not_be_read(conversion, world) -> None:
    answer = await read(conversion, world, "Outcome.conversionRefusals", "another learner")
    assert answer["errors"][0]["message"] == (
        "you may not read the conversion refusals of this learner"
    )


async def test_a_record_never_held_here_shows_nothing_yet_refuses_who_reads_no_credits(
    conversion, world
) -> None:
    empty_outcome: dict[str, Any] = {"conversions": [], "conversionRefusals": []}
    unknown: list[tuple[str, str, dict[str, Any] | None]] = [
        ("Outcome", "conversions { id } conversionRefusals { reason }", empty_outcome),
        ("Conversion", "id credits", None),  # no such conversion
    ]
    for typename, selection, nothing in unknown:
        ask = query(typename, new_id(), selection)
        learner = await gql(conversion, *ask, world.callers["the learner"])
        assert learner == {"data": {"_entities": [nothing]}}
        for caller in ("anonymous", "a reviewer without a case of the learner"):
            answer = await gql(conversion, *ask, world.callers[caller])
            assert answer["data"] == {"_entities": [None]}
            assert error_code(answer) == (REFUSED[caller], None)


CATALOG = """{ majors { code courses { code } } credentialTypes { code } conversionRules { id }
  certificatePrograms { code requiredCourses { code } } conversionCaps { annualCredits }
  previewConversion(credentialCode: "CN-PRESCHOOL-TEACHER") { id } }"""
REVOKE = """mutation($id: ID!) { revokeConversion(id: $id, reason: "forged") { id status } }"""


@pytest.mark.parametrize("caller", [*READERS, *REFUSED])
async def test_the_catalog_stays_public_to_every_caller(conversion, world, caller) -> None:
    answer = await gql(conversion, CATALOG, token=world.callers[caller])
    assert "errors" not in answer, answer
    assert answer == await gql(conversion, CATALOG)


@pytest.mark.parametrize("caller", [c for c in [*READERS, *REFUSED] if c != "an admin"])
async def test_only_an_admin_revokes_a_conversion(conversion, world, caller) -> None:
    answer = await gql(conversion, REVOKE, {"id": world.conversion_id}, world.callers[caller])
    assert answer["data"] is None
    assert error_code(answer)[0] == ("UNAUTHENTICATED" if caller == "anonymous" else "FORBIDDEN")
    assert (await seen(conversion, world, "Conversion, every field"))["status"] == "ACTIVE"
