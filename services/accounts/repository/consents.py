"""SQL for consents a page at a time, newest first: those a learner granted, those an
institution received, and an institution's active ones (its consented learners)."""

from __future__ import annotations

import uuid
from datetime import datetime

from cbkit.auth import Role
from cbkit.db import Connection, from_row
from cbkit.paging import Page, PageRequest, keyset, order_by, page
from services.accounts.domain.consents import Consent
from services.accounts.repository.parties import NOBODY, of_party

COLUMNS = "id, learner_id, institution_id, granted_at, expires_at, revoked_at"
ORDER = ("granted_at", "id")


def _whose(
    role: Role | None,
    account_id: str,
    scope: str | None,
    active_at: datetime | None,
    args: list[object],
) -> str:
    """The consents a learner granted or an institution received (none for other
    accounts), narrowed to those given to `scope` and to those active at `active_at`."""
    condition = of_party(role, account_id, scope, args)
    if active_at is not None and condition != NOBODY:
        args.append(active_at)
        condition += f" AND revoked_at IS NULL AND expires_at > ${len(args)}"
    return condition


async def consents_page(
    conn: Connection,
    role: Role | None,
    account_id: str,
    scope: str | None,
    active_at: datetime | None,
    request: PageRequest,
) -> Page[Consent]:
    args: list[object] = []
    whose = _whose(role, account_id, scope, active_at, args)
    after = keyset(request, ORDER, args, descending=True)
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM consents WHERE {whose} AND {after}"
        f" {order_by(ORDER, descending=True)} LIMIT {request.limit}",
        *args,
    )
    found = [from_row(Consent, r) for r in rows]
    return page(request, found, key=lambda c: (c.granted_at, uuid.UUID(c.id)))


async def count_consents(
    conn: Connection,
    role: Role | None,
    account_id: str,
    scope: str | None,
    active_at: datetime | None,
) -> int:
    args: list[object] = []
    whose = _whose(role, account_id, scope, active_at, args)
    count: int = await conn.fetchval(f"SELECT count(*) FROM consents WHERE {whose}", *args)
    return count
