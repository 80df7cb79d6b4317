"""Outcome is a federation entity resolved in batches: one query for a hundred, and
one more for what entitles the caller to read their learners."""

import asyncio

from cbkit import db
from cbkit.auth import Principal, Role
from cbkit.graphql import Context
from cbkit.testing import new_id
from services.outcomes.schema import schema
from services.outcomes.tests.conftest import add_result, learner

ENTITIES = """query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Outcome { id title status learner { id } evidence { id sha256 } } } }"""


async def test_a_hundred_outcome_representations_are_two_database_queries(outcomes, stack):
    learners = [learner(stack) for _ in range(10)]

    async def ten_results(token, first):
        return [
            (await add_result(outcomes, token, title=f"Result {first + i}"))["id"]
            for i in range(10)
        ]

    batches = await asyncio.gather(*(ten_results(t, 10 * n) for n, (_, t) in enumerate(learners)))
    ids = [i for batch in batches for i in batch]
    unknown = new_id()
    pool = await db.create_pool(outcomes.runtime.settings.database_url, min_size=1, max_size=1)
    try:

        async def resolve():  # a new request each time: DataLoaders live per request
            reps = [{"__typename": "Outcome", "id": i} for i in [*ids, unknown]]
            # each learner's result waits in the review queue: any reviewer reads them
            reviewer = Principal(new_id(), Role.REVIEWER)
            context = Context(pool=pool, deps=outcomes.runtime.deps, principal_or_error=reviewer)
            return await schema.execute(ENTITIES, {"reps": reps}, context_value=context)

        await resolve()  # warm up: asyncpg's one-off type introspection is not ours
        queries: list[str] = []
        async with pool.acquire() as conn:
            reset = conn.get_reset_query()
            conn.add_query_logger(lambda record: queries.append(record.query))
        result = await resolve()
    finally:
        await pool.close()
    assert result.errors is None
    entities = result.data["_entities"]
    assert [e and e["id"] for e in entities] == [*ids, None]
    assert entities[7]["title"] == "Result 7"
    assert entities[17]["title"] == "Result 17"
    assert entities[17]["learner"] == {"id": learners[1][0]}
    assert len(entities[7]["evidence"]) == 1
    ours = [q for q in queries if q != reset]
    assert len(ours) == 2, ours
    assert "FROM outcomes" in ours[0]
    assert "FROM case_reviewers" in ours[1]
