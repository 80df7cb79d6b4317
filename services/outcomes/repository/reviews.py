"""SQL for what outcomes knows of certification's cases: who claimed or decided a
case of which learner, and which learners have a result waiting for review."""

from __future__ import annotations

from collections.abc import Sequence

from cbkit.db import Connection, parse_uuids
from services.outcomes.domain import AWAITING_REVIEW

AWAITING_STATUSES = [s.value for s in AWAITING_REVIEW]


async def record_reviewer(
    conn: Connection, outcome_id: str, learner_id: str, reviewer_id: str
) -> None:
    await conn.execute(
        "INSERT INTO case_reviewers (outcome_id, reviewer_id, learner_id) VALUES ($1, $2, $3)"
        " ON CONFLICT DO NOTHING",
        outcome_id,
        reviewer_id,
        learner_id,
    )


async def learners_with_a_case(
    conn: Connection, reviewer_id: str, learner_ids: Sequence[str]
) -> set[str]:
    """Those of `learner_ids` for whom `reviewer_id` has a case: a result waiting in the
    review queue, or a case the reviewer claimed or decided."""
    learners = parse_uuids(learner_ids)
    reviewer = parse_uuids([reviewer_id])
    if not learners or not reviewer:
        return set()
    rows = await conn.fetch(
        "SELECT learner_id FROM outcomes"
        " WHERE learner_id = ANY($1::uuid[]) AND status = ANY($3::text[])"
        " UNION SELECT learner_id FROM case_reviewers"
        " WHERE reviewer_id = $2 AND learner_id = ANY($1::uuid[])",
        learners,
        reviewer[0],
        AWAITING_STATUSES,
    )
    return {str(r["learner_id"]) for r in rows}
