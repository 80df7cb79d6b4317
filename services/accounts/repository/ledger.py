"""SQL for credits, ledger entries, balances and redemptions."""

from __future__ import annotations

import uuid
from datetime import date

from cbkit.auth import Role
from cbkit.db import Connection, arguments, from_row, parse_uuids
from cbkit.paging import Page, PageRequest, keyset, order_by, page
from services.accounts.domain.ledger import (
    Balance,
    Credit,
    Entry,
    Redemption,
    movement,
)
from services.accounts.repository.parties import of_party

CREDIT_COLUMNS = "conversion_id, learner_id, course_code, credits, expires_on, status"
ENTRY_COLUMNS = (
    "id, learner_id, kind, credits, course_code, conversion_id, institution_id, occurred_at, note"
)
REDEMPTION_COLUMNS = (
    "id, learner_id, institution_id, course_code, credits, redeemed_at, reversed_at,"
    " reversal_reason"
)
BALANCE_COLUMNS = "available, redeemed, expired, earned"


async def insert_credit(conn: Connection, credit: Credit) -> bool:
    """Store a conversion's credits; False when the conversion is already known."""
    inserted = await conn.fetchval(
        f"INSERT INTO credits ({CREDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
        " ON CONFLICT DO NOTHING RETURNING true",
        *arguments(credit, CREDIT_COLUMNS),
    )
    return bool(inserted)


async def lock_credit(conn: Connection, conversion_id: str) -> Credit | None:
    row = await conn.fetchrow(
        f"SELECT {CREDIT_COLUMNS} FROM credits WHERE conversion_id = $1 FOR UPDATE",
        uuid.UUID(conversion_id),
    )
    return from_row(Credit, row) if row else None


async def lock_course_credits(conn: Connection, learner_id: str, course_code: str) -> list[Credit]:
    """The learner's credits for a course, locked; a concurrent change is waited for
    and then seen."""
    rows = await conn.fetch(
        f"SELECT {CREDIT_COLUMNS} FROM credits WHERE learner_id = $1"
        " AND upper(course_code) = upper($2) ORDER BY conversion_id FOR UPDATE",
        uuid.UUID(learner_id),
        course_code,
    )
    return [from_row(Credit, r) for r in rows]


async def lock_expiring(conn: Connection, today: date, limit: int) -> list[Credit]:
    """Active credits whose validity ended before `today`, locked, skipping those
    another transaction holds."""
    rows = await conn.fetch(
        f"SELECT {CREDIT_COLUMNS} FROM credits WHERE status = 'ACTIVE'"
        " AND expires_on IS NOT NULL AND expires_on < $1"
        " ORDER BY expires_on LIMIT $2 FOR UPDATE SKIP LOCKED",
        today,
        limit,
    )
    return [from_row(Credit, r) for r in rows]


async def set_status(conn: Connection, credit: Credit, redemption_id: str | None = None) -> None:
    await conn.execute(
        "UPDATE credits SET status = $2, redemption_id = $3 WHERE conversion_id = $1",
        uuid.UUID(credit.conversion_id),
        credit.status.value,
        uuid.UUID(redemption_id) if redemption_id else None,
    )


async def open_balance(conn: Connection, learner_id: str) -> None:
    await conn.execute(
        f"INSERT INTO balances (learner_id, {BALANCE_COLUMNS}) VALUES ($1, 0, 0, 0, 0)",
        uuid.UUID(learner_id),
    )


async def post(conn: Connection, entry: Entry) -> None:
    """Append the entry and move the learner's balance with it, in one statement."""
    status = await conn.execute(
        f"WITH entry AS (INSERT INTO ledger_entries ({ENTRY_COLUMNS})"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING learner_id)"
        " UPDATE balances AS b SET available = b.available + $10,"
        " redeemed = b.redeemed + $11, expired = b.expired + $12, earned = b.earned + $13"
        " FROM entry WHERE b.learner_id = entry.learner_id",
        *arguments(entry, ENTRY_COLUMNS),
        *arguments(movement(entry), BALANCE_COLUMNS),
    )
    if status != "UPDATE 1":
        raise LookupError(f"account {entry.learner_id} is not a learner's: it has no balance")


async def insert_redemption(conn: Connection, redemption: Redemption) -> None:
    await conn.execute(
        f"INSERT INTO redemptions ({REDEMPTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        *arguments(redemption, REDEMPTION_COLUMNS),
    )


async def balances_by_learner(conn: Connection, learner_ids: list[str]) -> list[Balance]:
    rows = await conn.fetch(
        f"SELECT learner_id, {BALANCE_COLUMNS} FROM balances WHERE learner_id = ANY($1::uuid[])",
        parse_uuids(learner_ids),
    )
    found = {str(r["learner_id"]): from_row(Balance, r) for r in rows}
    return [found.get(i, Balance()) for i in learner_ids]


async def entries_before(
    conn: Connection, learner_id: str, before: int | None, limit: int
) -> list[tuple[int, Entry]]:
    """Up to `limit` of the learner's entries, newest first, older than position `before`."""
    rows = await conn.fetch(
        f"SELECT seq, {ENTRY_COLUMNS} FROM ledger_entries WHERE learner_id = $1"
        " AND ($2::bigint IS NULL OR seq < $2) ORDER BY seq DESC LIMIT $3",
        uuid.UUID(learner_id),
        before,
        limit,
    )
    return [(r["seq"], from_row(Entry, r)) for r in rows]


async def entries_page(
    conn: Connection, learner_id: str, request: PageRequest
) -> Page[tuple[int, Entry]]:
    """A page of the learner's entries, newest first (by their position in the ledger)."""
    args: list[object] = [uuid.UUID(learner_id)]
    after = keyset(request, ("seq",), args, descending=True)
    rows = await conn.fetch(
        f"SELECT seq, {ENTRY_COLUMNS} FROM ledger_entries WHERE learner_id = $1 AND {after}"
        f" {order_by(('seq',), descending=True)} LIMIT {request.limit}",
        *args,
    )
    found = [(r["seq"], from_row(Entry, r)) for r in rows]
    return page(request, found, key=lambda row: (row[0],))


async def count_entries(conn: Connection, learner_id: str) -> int:
    count: int = await conn.fetchval(
        "SELECT count(*) FROM ledger_entries WHERE learner_id = $1", uuid.UUID(learner_id)
    )
    return count


REDEMPTION_ORDER = ("redeemed_at", "id")


async def redemptions_page(
    conn: Connection, role: Role, account_id: str, scope: str | None, request: PageRequest
) -> Page[Redemption]:
    args: list[object] = []
    whose = of_party(role, account_id, scope, args)
    after = keyset(request, REDEMPTION_ORDER, args, descending=True)
    rows = await conn.fetch(
        f"SELECT {REDEMPTION_COLUMNS} FROM redemptions WHERE {whose} AND {after}"
        f" {order_by(REDEMPTION_ORDER, descending=True)} LIMIT {request.limit}",
        *args,
    )
    found = [from_row(Redemption, r) for r in rows]
    return page(request, found, key=lambda r: (r.redeemed_at, uuid.UUID(r.id)))


async def count_redemptions(
    conn: Connection, role: Role, account_id: str, scope: str | None
) -> int:
    args: list[object] = []
    whose = of_party(role, account_id, scope, args)
    count: int = await conn.fetchval(f"SELECT count(*) FROM redemptions WHERE {whose}", *args)
    return count


async def lock_redemption(conn: Connection, redemption_id: str) -> Redemption | None:
    row = await conn.fetchrow(
        f"SELECT {REDEMPTION_COLUMNS} FROM redemptions WHERE id = $1 FOR UPDATE",
        uuid.UUID(redemption_id),
    )
    return from_row(Redemption, row) if row else None


async def save_reversal(conn: Connection, redemption: Redemption) -> None:
    await conn.execute(
        "UPDATE redemptions SET reversed_at = $2, reversal_reason = $3 WHERE id = $1",
        uuid.UUID(redemption.id),
        redemption.reversed_at,
        redemption.reversal_reason,
    )


async def lock_redeemed_by(conn: Connection, redemption_id: str) -> list[Credit]:
    """The lots the redemption took and still holds, locked."""
    rows = await conn.fetch(
        f"SELECT {CREDIT_COLUMNS} FROM credits WHERE redemption_id = $1"
        " ORDER BY conversion_id FOR UPDATE",
        uuid.UUID(redemption_id),
    )
    return [from_row(Credit, r) for r in rows]
