"""SQL for the messages: written once per event and account, paged newest first,
marked read, read as a live stream by position, erased with the account."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import asyncpg

from cbkit.db import Connection, from_row, lock, parse_uuids
from cbkit.paging import Page, PageRequest, keyset, order_by, page
from services.notifications.domain import About, Kind, Message, NewMessage

CHANNEL = "notifications_inbox"
"""NOTIFY'd with each new message's position, in the transaction that writes it."""

COLUMNS = "id, position, account_id, kind, about_type, about_id, params, created_at, read_at"
_ORDER = ("created_at", "id")


def _message(row: asyncpg.Record) -> Message:
    return from_row(Message, row)


async def add(conn: Connection, new: NewMessage) -> Message | None:
    """Write the message; None when the event already made one for the account.
    Messages are written one transaction at a time (a lock held to the commit), so
    their positions commit in order and a reader past the last position misses none."""
    await lock(conn, CHANNEL)
    row = await conn.fetchrow(
        "INSERT INTO messages (id, account_id, kind, about_type, about_id, params,"
        " created_at, event_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        f" ON CONFLICT (event_id, account_id) DO NOTHING RETURNING {COLUMNS}",
        uuid.uuid4(),
        new.account_id,
        new.kind.value,
        new.about.type.value,
        new.about.id,
        dict(new.params),
        new.created_at,
        new.event_id,
    )
    if row is None:
        return None
    await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, str(row["position"]))
    return _message(row)


async def of_about(conn: Connection, account_id: str, kind: Kind, about: About) -> Message | None:
    """The account's message of `kind` about `about`, locked until the transaction ends."""
    row = await conn.fetchrow(
        f"SELECT {COLUMNS} FROM messages WHERE account_id = $1 AND kind = $2"
        " AND about_type = $3 AND about_id = $4 ORDER BY position LIMIT 1 FOR UPDATE",
        account_id,
        kind.value,
        about.type.value,
        about.id,
    )
    return None if row is None else _message(row)


async def set_params(conn: Connection, message_id: str, params: Mapping[str, Any]) -> None:
    await conn.execute("UPDATE messages SET params = $2 WHERE id = $1", message_id, dict(params))


def _filter(account_id: str, unread: bool, args: list[Any]) -> str:
    args.append(account_id)
    return "account_id = $1" + (" AND read_at IS NULL" if unread else "")


async def page_of(
    conn: Connection, account_id: str, unread: bool, request: PageRequest
) -> Page[Message]:
    """A page of the account's messages (only the unread ones with `unread`), newest first."""
    args: list[Any] = []
    where = _filter(account_id, unread, args)
    after = keyset(request, _ORDER, args, descending=True)
    args.append(request.limit)
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM messages WHERE {where} AND {after}"
        f" {order_by(_ORDER, descending=True)} LIMIT ${len(args)}",
        *args,
    )
    return page(request, [_message(r) for r in rows], lambda m: (m.created_at, uuid.UUID(m.id)))


async def count(conn: Connection, account_id: str, unread: bool) -> int:
    args: list[Any] = []
    where = _filter(account_id, unread, args)
    return int(await conn.fetchval(f"SELECT count(*) FROM messages WHERE {where}", *args))


async def mark_read(
    conn: Connection, account_id: str, ids: Sequence[str] | None, at: datetime
) -> int:
    """Mark the account's unread messages among `ids` (all of them when None) read at
    `at`; how many changed. Another account's ids change nothing."""
    if ids is None:
        status = await conn.execute(
            "UPDATE messages SET read_at = $2 WHERE account_id = $1 AND read_at IS NULL",
            account_id,
            at,
        )
    else:
        status = await conn.execute(
            "UPDATE messages SET read_at = $2"
            " WHERE account_id = $1 AND read_at IS NULL AND id = ANY($3::uuid[])",
            account_id,
            at,
            parse_uuids(ids),
        )
    return int(status.rsplit(" ", 1)[-1])


async def all_of(conn: Connection, account_id: str) -> list[Message]:
    """Every message of the account, oldest first (the export)."""
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM messages WHERE account_id = $1 ORDER BY position", account_id
    )
    return [_message(r) for r in rows]


async def after(conn: Connection, position: int, limit: int) -> list[Message]:
    """Every account's messages past `position`, in order (the live stream's reader)."""
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM messages WHERE position > $1 ORDER BY position LIMIT $2",
        position,
        limit,
    )
    return [_message(r) for r in rows]


async def last_position(conn: Connection) -> int:
    return int(await conn.fetchval("SELECT coalesce(max(position), 0) FROM messages"))


async def erase(conn: Connection, account_id: str) -> None:
    await conn.execute("DELETE FROM messages WHERE account_id = $1", account_id)


async def forget_name(conn: Connection, learner_id: str) -> None:
    """Take the learner's name out of the messages others got about them."""
    await conn.execute(
        "UPDATE messages SET params = params - 'learnerName'"
        " WHERE params ->> 'learnerId' = $1 AND params ? 'learnerName'",
        learner_id,
    )
