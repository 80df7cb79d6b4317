"""Two replicas, many approvals for one learner at once: caps and once-per-course hold."""

import asyncio
import uuid
from decimal import Decimal

from cbkit.auth import Role
from cbkit.testing import eventually
from services.conversion.service import build
from services.conversion.tests.conftest import Catalog, approved, gql

CONVERSIONS = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}])
  { ... on Account { conversions { credits course { code } } } } }"""
REFUSALS = """query($ids: [_Any!]!) { _entities(representations: $ids) { ... on Outcome {
  conversions { id } conversionRefusals { reason } } } }"""


async def test_two_replicas_never_pass_the_cap_or_credit_a_course_twice(
    run_service, service, bus, admin, stack
) -> None:
    catalog = Catalog(service, admin)
    major = await catalog.major()
    courses = [await catalog.course(f"C{i}", "5.0", major) for i in range(12)]
    events = []
    account = str(uuid.uuid4())
    token = stack.token(account, Role.LEARNER)
    for i, course in enumerate(courses):
        for path in ("A", "B"):  # two credentials prove each course
            credential = await catalog.credential(f"{path}{i}")
            await catalog.rule(course, "5.0", credential=credential)
            events.append(approved(account, credential))

    async with run_service(build()) as replica_one, run_service(build()) as replica_two:
        await asyncio.gather(*(bus.send(e) for e in events))
        ids = [{"__typename": "Outcome", "id": e.data["outcomeId"]} for e in events]

        async def all_decided() -> bool:
            found = await gql(replica_one, REFUSALS, {"ids": ids}, token)
            views = found["data"]["_entities"]
            return all(v["conversions"] or v["conversionRefusals"] for v in views)

        await eventually(all_decided, within=30)
        found = await gql(replica_two, CONVERSIONS, {"id": account}, token)

    conversions = found["data"]["_entities"][0]["conversions"]
    credited = [c["course"]["code"] for c in conversions]
    assert len(credited) == len(set(credited))  # each course at most once
    assert sum(Decimal(c["credits"]) for c in conversions) == Decimal("40.0")  # 8 x 5 <= 42
    views = (await gql(service, REFUSALS, {"ids": ids}, token))["data"]["_entities"]
    reasons = sorted(r["reason"] for v in views for r in v["conversionRefusals"])
    assert set(reasons) <= {"annual cap reached", "course already credited"}
    assert len(reasons) == len(events) - 8  # every approval either converted or says why
    assert len(bus.of("credits.converted", account)) <= 8
