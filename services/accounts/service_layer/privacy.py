"""A learner's copy of what accounts holds about them (`GET /privacy/export`): the
profile, balance, consents, credits, ledger entries, redemptions and sessions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cbkit.db import Connection
from services.accounts.repository import privacy as repository
from services.accounts.service_layer.dependencies import Dependencies

KINDS = (
    ("profile", repository.profile),
    ("balance", repository.balance),
    ("consents", repository.consents),
    ("credits", repository.credits),
    ("ledgerEntries", repository.ledger_entries),
    ("redemptions", repository.redemptions),
    ("sessions", repository.sessions),
)


async def collect(
    conn: Connection, deps: Dependencies, learner_id: str
) -> Mapping[str, Sequence[Mapping[str, Any]]]:
    """Every record of the learner, by kind, read in one snapshot."""
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        return {kind: await read(conn, learner_id) for kind, read in KINDS}
