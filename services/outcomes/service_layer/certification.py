"""Use cases following certification: the status a learner sees moves with the case,
and who reviewed which learner's case is kept for the access policy."""

from __future__ import annotations

import logging

from cbkit.db import Connection
from services.outcomes import domain
from services.outcomes.domain import HeardStep
from services.outcomes.repository import closures, outcomes, reviews

log = logging.getLogger(__name__)


async def follow_step(conn: Connection, heard: HeardStep) -> None:
    """Show the learner what certification did, unless a newer step shows already.
    The reviewer is kept whatever order the steps arrive in: they claimed or decided
    a case of this learner either way (unless the learner closed their account: the
    status still moves, for the bank's figures, but nothing of them is kept)."""
    closed = await closures.is_closed(conn, heard.learner_id)
    if heard.reviewer_id is not None and not closed:
        await reviews.record_reviewer(conn, heard.outcome_id, heard.learner_id, heard.reviewer_id)
    outcome = await outcomes.outcome_for_update(conn, heard.outcome_id)
    if outcome is None:
        log.warning("%s for unknown outcome %s ignored", heard.step.value, heard.outcome_id)
        return
    current = domain.Progress(outcome.status, outcome.case_sequence)
    progress = domain.follow(current, heard.step, heard.sequence)
    if progress is not None:
        await outcomes.set_status(conn, outcome.id, progress.status, progress.sequence)
