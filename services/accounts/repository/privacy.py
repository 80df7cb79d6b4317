"""SQL for a learner's copy of what accounts holds about them (the privacy export):
every column of their records, never a password or token hash."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from cbkit.db import Connection

Record = dict[str, Any]


def _camel(row: Mapping[str, Any]) -> Record:
    """A row with its columns named as the API names fields (`redeemed_at` -> `redeemedAt`)."""
    record = {}
    for column, value in row.items():
        head, *rest = column.split("_")
        record[head + "".join(part.title() for part in rest)] = value
    return record


# Each kind of record, in the export's order: every column the learner may see, in the
# columns' order. One learner's id is the query's one argument.
QUERIES = {
    "profile": "SELECT id, role, email, display_name, created_at, disabled_at, disabled_reason,"
    " closed_at FROM accounts WHERE id = $1",
    "balance": "SELECT available, redeemed, expired, earned FROM balances WHERE learner_id = $1",
    "consents": "SELECT c.id, c.institution_id, i.display_name AS institution_name,"
    " c.granted_at, c.expires_at, c.revoked_at FROM consents c"
    " JOIN accounts i ON i.id = c.institution_id"
    " WHERE c.learner_id = $1 ORDER BY c.granted_at, c.id",
    "credits": "SELECT * FROM credits WHERE learner_id = $1 ORDER BY conversion_id",
    "ledgerEntries": "SELECT * FROM ledger_entries WHERE learner_id = $1 ORDER BY seq",
    "redemptions": "SELECT * FROM redemptions WHERE learner_id = $1 ORDER BY redeemed_at, id",
    # each session (a family of refresh tokens): when it started, was last renewed,
    # expires and was signed out
    "sessions": "SELECT family_id AS id, min(issued_at) AS started_at,"
    " max(issued_at) AS renewed_at, max(expires_at) AS expires_at,"
    " max(revoked_at) AS signed_out_at"
    " FROM refresh_tokens WHERE account_id = $1 GROUP BY family_id ORDER BY started_at",
}
HIDDEN = {"ledgerEntries": frozenset({"seq"})}
"""Columns read for the order only."""


async def records(conn: Connection, kind: str, learner_id: str) -> list[Record]:
    """The learner's records of `kind` (a key of `QUERIES`)."""
    hidden = HIDDEN.get(kind, frozenset())
    rows = await conn.fetch(QUERIES[kind], uuid.UUID(learner_id))
    return [_camel({k: v for k, v in r.items() if k not in hidden}) for r in rows]
