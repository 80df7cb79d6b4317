"""The facts the access policy (domain/access.py) needs about a viewer and the learners
whose data they read: looked up for many learners at once, only when they matter."""

from __future__ import annotations

from collections.abc import Sequence

from cbkit.auth import Principal, Role
from cbkit.clock import Clock
from cbkit.db import Connection
from services.outcomes.domain import access
from services.outcomes.domain.access import NO_GROUNDS, Grounds
from services.outcomes.repository import consents, reviews


async def grounds(
    conn: Connection, clock: Clock, viewer: Principal, learner_ids: Sequence[str]
) -> list[Grounds]:
    """What may entitle `viewer` to read each of `learner_ids`, in their order: one
    query, none when nothing could."""
    if not access.grounds_matter(viewer):
        return [NO_GROUNDS for _ in learner_ids]
    if viewer.has(Role.INSTITUTION):
        now = clock.now()
        found = await consents.consents_to(conn, viewer.account_id, learner_ids)
        consenting = {c.learner_id for c in found if c.active_at(now)}
        return [Grounds(consent=i in consenting) for i in learner_ids]
    with_a_case = await reviews.learners_with_a_case(conn, viewer.account_id, learner_ids)
    return [Grounds(case=i in with_a_case) for i in learner_ids]
