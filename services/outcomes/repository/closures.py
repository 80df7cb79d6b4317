"""SQL for closed accounts: who closed, and erasing what outcomes held about them."""

from __future__ import annotations

import uuid
from datetime import datetime

from cbkit.db import Connection, parse_uuids


async def is_closed(conn: Connection, learner_id: str) -> bool:
    ids = parse_uuids([learner_id])
    if not ids:
        return False
    found = await conn.fetchval("SELECT true FROM closed_learners WHERE learner_id = $1", ids[0])
    return bool(found)


async def record_closure(conn: Connection, learner_id: str, closed_at: datetime) -> None:
    """Remember the closure; the first one heard is kept."""
    await conn.execute(
        "INSERT INTO closed_learners (learner_id, closed_at) VALUES ($1, $2)"
        " ON CONFLICT (learner_id) DO NOTHING",
        uuid.UUID(learner_id),
        closed_at,
    )


async def delete_files(conn: Connection, owner_id: str) -> int:
    """Every file of `owner_id`, attached to a result or not, with its bytes; how many."""
    owner = uuid.UUID(owner_id)
    await conn.execute(
        "DELETE FROM outcome_evidence WHERE evidence_id IN"
        " (SELECT id FROM evidence WHERE owner_id = $1)",
        owner,
    )
    gone: int = await conn.fetchval(
        "WITH gone AS (DELETE FROM evidence WHERE owner_id = $1 RETURNING id),"
        " chunks AS (DELETE FROM evidence_chunks WHERE upload_id IN (SELECT id FROM gone))"
        " SELECT count(*) FROM gone",
        owner,
    )
    return gone


async def erase_results(conn: Connection, learner_id: str, erased: str) -> None:
    """The learner's results keep their kind, status and dates; their text becomes
    `erased`, and so do the notes of their resubmissions."""
    learner = uuid.UUID(learner_id)
    await conn.execute(
        "UPDATE outcomes SET title = $2, issuer = $2 WHERE learner_id = $1"
        " AND (title <> $2 OR issuer <> $2)",
        learner,
        erased,
    )
    await conn.execute(
        "UPDATE resubmissions r SET note = $2 FROM outcomes o"
        " WHERE o.id = r.outcome_id AND o.learner_id = $1 AND r.note <> $2",
        learner,
        erased,
    )


async def forget_learner(conn: Connection, learner_id: str) -> None:
    """Our copies of the learner's consents and of who reviewed their cases."""
    learner = uuid.UUID(learner_id)
    await conn.execute("DELETE FROM consents WHERE learner_id = $1", learner)
    await conn.execute("DELETE FROM case_reviewers WHERE learner_id = $1", learner)


async def forget_party(conn: Connection, account_id: str) -> None:
    """An institution's or a reviewer's closed account: the consents given to it and the
    cases it reviewed no longer entitle it to read anything."""
    account = uuid.UUID(account_id)
    await conn.execute("DELETE FROM consents WHERE institution_id = $1", account)
    await conn.execute("DELETE FROM case_reviewers WHERE reviewer_id = $1", account)


async def erase_sent_events(conn: Connection, learner_id: str) -> None:
    """Events about the learner already sent still sit in the outbox with their text
    (titles, notes, file names): they go. Unsent ones leave as they are; the services
    that read them erase them on `account.closed` too."""
    await conn.execute(
        "DELETE FROM outbox WHERE sent_at IS NOT NULL"
        " AND convert_from(body, 'UTF8')::jsonb ->> 'subject' = $1",
        learner_id,
    )
