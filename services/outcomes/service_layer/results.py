"""Use cases on results: deposit, resubmit, withdraw; a learner's results page by page;
the bank's figures on results."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from cbkit.clock import Clock
from cbkit.db import Connection, lock
from cbkit.errors import NotFound
from cbkit.outbox import publish
from services.outcomes import domain, events
from services.outcomes.domain import (
    EvidenceFile,
    NewResult,
    Outcome,
    OutcomeKind,
    OutcomeStatus,
    access,
    figures,
)
from services.outcomes.repository import evidence as evidence_files
from services.outcomes.repository import outcomes
from services.outcomes.service_layer.closures import require_open


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
    conn: Connection,
    clock: Clock,
    learner_id: str,
    result: NewResult,
    evidence_ids: Sequence[str],
) -> Outcome:
    now = clock.now()
    today = clock.day_of(now)
    clean = domain.validate(result, today)
    domain.require_evidence(clean.kind, evidence_ids)
    async with conn.transaction():
        # one deposit of a learner at a time: the duplicate checks see the one before
        await lock(conn, learner_id)
        await require_open(conn, learner_id)
        evidence = await _choose_evidence(conn, learner_id, evidence_ids)
        outcome = domain.submit(learner_id, clean, evidence, today, now)
        await outcomes.insert_outcome(conn, outcome)
        await publish(conn, events.outcome_submitted(outcome))
    return outcome


async def _own_outcome(conn: Connection, learner_id: str, outcome_id: str) -> Outcome:
    outcome = await outcomes.outcome_for_update(conn, outcome_id)
    if outcome is None or not access.may_change_result(learner_id, outcome.learner_id):
        raise NotFound(
            f'no result of yours with id "{outcome_id}"',
            field="id",
            zh=f"您没有 id 为“{outcome_id}”的成果",
        )
    return outcome


async def resubmit_result(
    conn: Connection,
    clock: Clock,
    learner_id: str,
    outcome_id: str,
    note: str,
    evidence_ids: Sequence[str],
) -> Outcome:
    async with conn.transaction():
        await lock(conn, learner_id)
        await require_open(conn, learner_id)
        outcome = await _own_outcome(conn, learner_id, outcome_id)
        status = domain.resubmit(outcome.status)
        clean_note = domain.validate_note(note)
        added = await _choose_evidence(conn, learner_id, evidence_ids, outcome.evidence)
        await outcomes.attach_evidence(conn, outcome.id, added, len(outcome.evidence))
        await outcomes.set_status(conn, outcome.id, status, outcome.case_sequence)
        await outcomes.insert_resubmission(conn, outcome.id, clean_note)
        updated = dataclasses.replace(outcome, status=status, evidence=(*outcome.evidence, *added))
        await publish(conn, events.outcome_resubmitted(updated, clean_note, clock.now()))
    return updated


async def withdraw_result(
    conn: Connection, clock: Clock, learner_id: str, outcome_id: str
) -> Outcome:
    async with conn.transaction():
        await require_open(conn, learner_id)
        outcome = await _own_outcome(conn, learner_id, outcome_id)
        status = domain.withdraw(outcome.status)
        await outcomes.set_status(conn, outcome.id, status, outcome.case_sequence)
        updated = dataclasses.replace(outcome, status=status)
        await publish(conn, events.outcome_withdrawn(updated, clock.now()))
    return updated


# A page of the learner's results, newest first, and how many the list holds with the
# same filters (none once they closed their account): the repository's, as they are;
# the caller checked who may read them.
results_page = outcomes.outcomes_page
count_results = outcomes.count_outcomes


async def results_by_status(conn: Connection) -> list[tuple[OutcomeStatus, int]]:
    """Every learner's results by status, each status named (zero included)."""
    return figures.every(OutcomeStatus, await outcomes.count_by_status(conn))


async def results_by_kind(conn: Connection) -> list[tuple[OutcomeKind, int]]:
    return figures.every(OutcomeKind, await outcomes.count_by_kind(conn))
