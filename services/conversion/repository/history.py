"""SQL for the catalog's history: every change, who made it and when, newest first."""

from __future__ import annotations

from typing import Any

import asyncpg

from cbkit.db import Connection
from cbkit.paging import Page, PageRequest, keyset, order_by, page
from services.conversion.domain.catalog import CatalogAction, CatalogChange, CatalogKind

COLUMNS = "id, kind, key, action, before, after, changed_by, changed_at"


def _change(row: asyncpg.Record) -> CatalogChange:
    return CatalogChange(
        id=str(row["id"]),
        kind=CatalogKind(row["kind"]),
        code=row["key"],
        action=CatalogAction(row["action"]),
        before=row["before"],
        after=row["after"],
        changed_by=str(row["changed_by"]) if row["changed_by"] else None,
        changed_at=row["changed_at"],
    )


async def record(conn: Connection, change: CatalogChange) -> CatalogChange:
    """Keep `change` (its id is given here)."""
    row = await conn.fetchrow(
        "INSERT INTO catalog_changes (kind, key, action, before, after, changed_by, changed_at)"
        f" VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}",
        change.kind.value,
        change.code,
        change.action.value,
        change.before,
        change.after,
        change.changed_by,
        change.changed_at,
    )
    assert row is not None
    return _change(row)


def _where(kind: CatalogKind | None, code: str | None) -> tuple[str, list[Any]]:
    args: list[Any] = []
    conditions = []
    if kind is not None:
        args.append(kind.value)
        conditions.append(f"kind = ${len(args)}")
    if code is not None:
        args.append(code)
        conditions.append(f"key = ${len(args)}")
    return " AND ".join(conditions) or "TRUE", args


SORT = ("changed_at", "id")


async def changes_page(
    conn: Connection, request: PageRequest, kind: CatalogKind | None, code: str | None
) -> Page[CatalogChange]:
    """A page of the changes (of one kind, of one entry), newest first."""
    where, args = _where(kind, code)
    after = keyset(request, SORT, args, descending=True)
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM catalog_changes WHERE {where} AND {after}"
        f" {order_by(SORT, descending=True)} LIMIT {request.limit}",
        *args,
    )
    found = page(request, rows, key=lambda r: (r["changed_at"], r["id"]))
    return Page([_change(r) for r in found.items], found.cursors, found.has_next)


async def count_changes(conn: Connection, kind: CatalogKind | None, code: str | None) -> int:
    where, args = _where(kind, code)
    return int(await conn.fetchval(f"SELECT count(*) FROM catalog_changes WHERE {where}", *args))
