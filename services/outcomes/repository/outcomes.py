"""SQL for outcomes and the evidence attached to them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg

from cbkit.db import Connection, all_per_key, from_row, one_per_key, parse_uuids
from cbkit.paging import Page, PageRequest, keyset, order_by, page
from services.outcomes.domain import EvidenceFile, Outcome, OutcomeKind, OutcomeStatus

COLUMNS = (
    "id, learner_id, kind, title, issuer, credential_code, achieved_on, hours, status,"
    " submitted_at, case_sequence"
)
# The outcome with its evidence in one row, so a batch of outcomes is one query.
SELECT = f"""
SELECT {", ".join(f"o.{c.strip()}" for c in COLUMNS.split(","))},
  COALESCE((SELECT json_agg(json_build_object(
                'id', e.id, 'owner_id', e.owner_id, 'filename', e.filename,
                'content_type', e.content_type, 'size', e.size, 'sha256', e.sha256)
              ORDER BY oe.position)
            FROM outcome_evidence oe JOIN evidence e ON e.id = oe.evidence_id
            WHERE oe.outcome_id = o.id), '[]'::json) AS evidence,
  EXISTS (SELECT 1 FROM closed_learners c WHERE c.learner_id = o.learner_id) AS learner_closed
FROM outcomes o
"""
# A closed learner's results are listed to nobody (one check per query, not per row).
OPEN_LEARNER = "NOT EXISTS (SELECT 1 FROM closed_learners c WHERE c.learner_id = $1)"
# A learner's results newest first: a unique sort key, matched by an index per filter
# (0004_pages_and_closures.sql).
PAGE_ORDER = ("o.submitted_at", "o.id")


def _outcome(row: asyncpg.Record) -> Outcome:
    evidence = tuple(from_row(EvidenceFile, e) for e in row["evidence"])
    return from_row(Outcome, row, evidence=evidence)


async def insert_outcome(conn: Connection, outcome: Outcome) -> None:
    await conn.execute(
        f"INSERT INTO outcomes ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        uuid.UUID(outcome.id),
        uuid.UUID(outcome.learner_id),
        outcome.kind.value,
        outcome.title,
        outcome.issuer,
        outcome.credential_code,
        outcome.achieved_on,
        outcome.hours,
        outcome.status.value,
        outcome.submitted_at,
        outcome.case_sequence,
    )
    await attach_evidence(conn, outcome.id, outcome.evidence, first_position=0)


async def attach_evidence(
    conn: Connection, outcome_id: str, evidence: Sequence[EvidenceFile], first_position: int
) -> None:
    await conn.executemany(
        "INSERT INTO outcome_evidence (outcome_id, evidence_id, position) VALUES ($1, $2, $3)",
        [
            (uuid.UUID(outcome_id), uuid.UUID(e.id), first_position + i)
            for i, e in enumerate(evidence)
        ],
    )


async def outcomes_by_id(conn: Connection, ids: list[str]) -> list[Outcome | None]:
    rows = await conn.fetch(f"{SELECT} WHERE o.id = ANY($1::uuid[])", parse_uuids(ids))
    return one_per_key(ids, map(_outcome, rows), key=lambda o: o.id)


async def outcomes_by_learner(conn: Connection, learner_ids: list[str]) -> list[list[Outcome]]:
    """Each learner's results, oldest first; none for a learner who closed their account."""
    rows = await conn.fetch(
        f"{SELECT} WHERE o.learner_id = ANY($1::uuid[]) AND NOT EXISTS"
        " (SELECT 1 FROM closed_learners c WHERE c.learner_id = o.learner_id)"
        " ORDER BY o.submitted_at, o.id",
        parse_uuids(learner_ids),
    )
    return all_per_key(learner_ids, map(_outcome, rows), key=lambda o: o.learner_id)


def _filters(
    learner_id: str, status: OutcomeStatus | None, kind: OutcomeKind | None
) -> tuple[str, list[object]]:
    """The condition and arguments of a learner's (open account's) results with the
    filters given: `$1` is the learner."""
    args: list[object] = [uuid.UUID(learner_id)]
    conditions = ["o.learner_id = $1", OPEN_LEARNER]
    if status is not None:
        args.append(status.value)
        conditions.append(f"o.status = ${len(args)}")
    if kind is not None:
        args.append(kind.value)
        conditions.append(f"o.kind = ${len(args)}")
    return " AND ".join(conditions), args


async def outcomes_page(
    conn: Connection,
    request: PageRequest,
    learner_id: str,
    status: OutcomeStatus | None = None,
    kind: OutcomeKind | None = None,
) -> Page[Outcome]:
    """A page of the learner's results, newest first, after the request's cursor."""
    if not parse_uuids([learner_id]):
        return page(request, [], key=lambda o: ())
    where, args = _filters(learner_id, status, kind)
    after = keyset(request, PAGE_ORDER, args, descending=True)
    args.append(request.limit)
    rows = await conn.fetch(
        f"{SELECT} WHERE {where} AND {after}"
        f" {order_by(PAGE_ORDER, descending=True)} LIMIT ${len(args)}",
        *args,
    )
    return page(
        request,
        [_outcome(r) for r in rows],
        key=lambda o: (o.submitted_at, uuid.UUID(o.id)),
    )


async def count_outcomes(
    conn: Connection,
    learner_id: str,
    status: OutcomeStatus | None = None,
    kind: OutcomeKind | None = None,
) -> int:
    """How many results the learner's list holds with these filters."""
    if not parse_uuids([learner_id]):
        return 0
    where, args = _filters(learner_id, status, kind)
    count: int = await conn.fetchval(f"SELECT count(*) FROM outcomes o WHERE {where}", *args)
    return count


async def count_by_status(conn: Connection) -> dict[OutcomeStatus, int]:
    """Every learner's results by status, closed accounts' included (the bank's figures)."""
    rows = await conn.fetch("SELECT status, count(*) AS n FROM outcomes GROUP BY status")
    return {OutcomeStatus(r["status"]): r["n"] for r in rows}


async def count_by_kind(conn: Connection) -> dict[OutcomeKind, int]:
    rows = await conn.fetch("SELECT kind, count(*) AS n FROM outcomes GROUP BY kind")
    return {OutcomeKind(r["kind"]): r["n"] for r in rows}


async def outcome_for_update(conn: Connection, outcome_id: str) -> Outcome | None:
    """The outcome, locked until the transaction ends; None when there is none."""
    ids = parse_uuids([outcome_id])
    if not ids:
        return None
    row = await conn.fetchrow(f"{SELECT} WHERE o.id = $1 FOR UPDATE OF o", ids[0])
    return _outcome(row) if row else None


async def set_status(
    conn: Connection, outcome_id: str, status: OutcomeStatus, case_sequence: int
) -> None:
    await conn.execute(
        "UPDATE outcomes SET status = $2, case_sequence = $3, status_changed_at = now()"
        " WHERE id = $1",
        uuid.UUID(outcome_id),
        status.value,
        case_sequence,
    )


async def insert_resubmission(conn: Connection, outcome_id: str, note: str) -> None:
    await conn.execute(
        "INSERT INTO resubmissions (outcome_id, note) VALUES ($1, $2)", uuid.UUID(outcome_id), note
    )
