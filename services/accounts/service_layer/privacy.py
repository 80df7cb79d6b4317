"""A learner's copy of what accounts holds about them (`GET /privacy/export`): the
profile, balance, consents, credits, ledger entries, redemptions and sessions."""

from __future__ import annotations

from cbkit.db import Connection
from cbkit.privacy import Records
from services.accounts.repository import privacy as repository
from services.accounts.service_layer.dependencies import Dependencies


async def collect(conn: Connection, deps: Dependencies, learner_id: str) -> Records:
    """Every record of the learner, by kind, read in one snapshot."""
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        return {
            kind: await repository.records(conn, kind, learner_id) for kind in repository.QUERIES
        }
