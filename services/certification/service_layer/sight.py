"""The facts the access policy needs to say whose cases a caller reads: the
learners' consents to an institution, or a reviewer's cases for the learners."""

from __future__ import annotations

from cbkit.auth import Principal
from cbkit.db import Connection
from services.certification.domain import access
from services.certification.domain.access import NO_TIES, Ties
from services.certification.repository import cases, consents


async def ties_to_learners(
    conn: Connection, learner_ids: list[str], *, caller: Principal
) -> list[Ties]:
    """For a DataLoader: what links the caller to each learner, in one query."""
    if access.consent_decides(caller):
        found = await consents.consents_to(conn, caller.account_id, learner_ids)
        return [Ties(consents=tuple(given)) for given in found]
    if access.cases_decide(caller):
        with_a_case = await cases.learners_of_reviewer(conn, caller.account_id, learner_ids)
        return [Ties(has_case=learner in with_a_case) for learner in learner_ids]
    return [NO_TIES for _ in learner_ids]
