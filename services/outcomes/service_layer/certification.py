"""Use cases following certification: the status a learner sees moves with the case."""

from __future__ import annotations

import logging

from cbkit.db import Connection
from services.outcomes import domain
from services.outcomes.domain import CertificationStep
from services.outcomes.repository import outcomes

log = logging.getLogger(__name__)


async def follow_step(
    conn: Connection, step: CertificationStep, outcome_id: str, sequence: int
) -> None:
    """Show the learner what certification did, unless a newer step shows already."""
    outcome = await outcomes.outcome_for_update(conn, outcome_id)
    if outcome is None:
        log.warning("%s for unknown outcome %s ignored", step.value, outcome_id)
        return
    current = domain.Progress(outcome.status, outcome.case_sequence)
    progress = domain.follow(current, step, sequence)
    if progress is not None:
        await outcomes.set_status(conn, outcome.id, progress.status, progress.sequence)
