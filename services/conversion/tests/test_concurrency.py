"""Two replicas, many approvals for one learner at once: caps and once-per-course hold."""

import asyncio
from decimal import Decimal

from cbkit.testing import eventually, gql, handled
from services.conversion.service import build
from services.conversion.tests.conftest import Catalog, account_view, approved, learner

CONVERSIONS = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}])
  { ... on Account { conversions { credits course { code } } } } }"""
REFUSALS = """query($ids: [_Any!]!) { _entities(representations: $ids) { ... on Outcome {
  conversions { id } conversionRefusals { code } } } }"""


async def test_two_replicas_never_pass_the_cap_or_credit_a_course_twice(
    run_service, conversion, bus, admin, stack
) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    courses = [await catalog.course(f"C{i}", "5.0", major) for i in range(12)]
    approvals = []
    account, token = learner(stack)
    for i, course in enumerate(courses):
        for path in ("A", "B"):  # two credentials prove each course
            credential = await catalog.credential(f"{path}{i}")
            await catalog.rule(course, "5.0", credential=credential)
            approvals.append(approved(account, credential))

    async with run_service(build()) as replica_one, run_service(build()) as replica_two:
        events = await asyncio.gather(
            *(bus.send("certification.approved", data) for data in approvals)
        )
        for event in events:
            await handled(replica_one, event)
        found = await account_view(replica_two, CONVERSIONS, account, token)

    conversions = found["conversions"]
    credited = [c["course"]["code"] for c in conversions]
    assert len(credited) == len(set(credited))  # each course at most once
    assert sum(Decimal(c["credits"]) for c in conversions) == Decimal("40.0")  # 8 x 5 <= 42
    ids = [{"__typename": "Outcome", "id": e.data["outcomeId"]} for e in events]
    views = (await gql(conversion, REFUSALS, {"ids": ids}, token))["data"]["_entities"]
    codes = sorted(r["code"] for v in views for r in v["conversionRefusals"])
    assert set(codes) <= {"ANNUAL_CAP", "ALREADY_CREDITED"}
    assert len(codes) == len(events) - 8  # every approval either converted or says why

    async def all_published() -> bool:
        return len(bus.of("credits.converted", account)) >= 8

    await eventually(all_published)
    assert len(bus.of("credits.converted", account)) == 8
