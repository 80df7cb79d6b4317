"""Use cases on results: deposit, resubmit, withdraw, follow certification."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from cbkit.auth import Principal, Role
from cbkit.db import Connection
from cbkit.errors import NotFound
from cbkit.outbox import publish
from services.outcomes import domain, events
from services.outcomes.domain import EvidenceFile, NewResult, Outcome
from services.outcomes.repository import consents, outcomes
from services.outcomes.repository import evidence as evidence_files

# UTC+14: the date nowhere on Earth is later, so no learner's "today" is refused.
LATEST_OFFSET = timedelta(hours=14)


def _today() -> date:
    return (datetime.now(UTC) + LATEST_OFFSET).date()


async def _choose_evidence(
    conn: Connection,
    learner_id: str,
    evidence_ids: Sequence[str],
    already: Sequence[EvidenceFile] = (),
) -> tuple[EvidenceFile, ...]:
    found = await evidence_files.evidence_by_ids(conn, evidence_ids)
    hashes = sorted({f.sha256 for f in found.values()})
    holdings = await evidence_files.holdings(conn, learner_id, evidence_ids, hashes)
    return domain.choose_evidence(learner_id, evidence_ids, found, holdings, already)


async def add_result(
    conn: Connection, learner_id: str, result: NewResult, evidence_ids: Sequence[str]
) -> Outcome:
    today = _today()
    clean = domain.validate(result, today)
    domain.require_evidence(clean.kind, evidence_ids)
    async with conn.transaction():
        await outcomes.lock_learner(conn, learner_id)
        evidence = await _choose_evidence(conn, learner_id, evidence_ids)
        outcome = domain.submit(learner_id, clean, evidence, today)
        await outcomes.insert_outcome(conn, outcome)
        await publish(conn, events.outcome_submitted(outcome))
    return outcome


async def _own_outcome(conn: Connection, learner_id: str, outcome_id: str) -> Outcome:
    outcome = await outcomes.outcome_for_update(conn, outcome_id)
    if outcome is None or outcome.learner_id != learner_id:
        raise NotFound(f"no result {outcome_id} of yours", field="id")
    return outcome


async def resubmit_result(
    conn: Connection,
    learner_id: str,
    outcome_id: str,
    note: str,
    evidence_ids: Sequence[str],
) -> Outcome:
    async with conn.transaction():
        await outcomes.lock_learner(conn, learner_id)
        outcome = await _own_outcome(conn, learner_id, outcome_id)
        status = domain.resubmit(outcome.status)
        clean_note = domain.validate_note(note)
        added = await _choose_evidence(conn, learner_id, evidence_ids, outcome.evidence)
        await outcomes.attach_evidence(conn, outcome.id, added, len(outcome.evidence))
        await outcomes.set_status(conn, outcome.id, status, outcome.case_sequence)
        await outcomes.insert_resubmission(conn, outcome.id, clean_note)
        updated = dataclasses.replace(outcome, status=status, evidence=(*outcome.evidence, *added))
        await publish(conn, events.outcome_resubmitted(updated, clean_note))
    return updated


async def withdraw_result(conn: Connection, learner_id: str, outcome_id: str) -> Outcome:
    async with conn.transaction():
        outcome = await _own_outcome(conn, learner_id, outcome_id)
        status = domain.withdraw(outcome.status)
        await outcomes.set_status(conn, outcome.id, status, outcome.case_sequence)
        updated = dataclasses.replace(outcome, status=status)
        await publish(conn, events.outcome_withdrawn(updated))
    return updated


async def may_see_learner(conn: Connection, principal: Principal, learner_id: str) -> bool:
    """The learner, reviewers, admins, and institutions under the learner's consent."""
    if principal.account_id == learner_id or principal.has(Role.REVIEWER, Role.ADMIN):
        return True
    if principal.has(Role.INSTITUTION):
        return await consents.has_active_consent(conn, principal.account_id, learner_id)
    return False
