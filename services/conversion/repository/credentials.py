"""SQL for the credentials issued and the status lists that revoke them.

A status list's bits are a bytea whose index 0 is the top bit of byte 0, as the W3C
Bitstring Status List counts; PostgreSQL's `get_bit`/`set_bit` count from the bottom
bit of each byte, so index i is PostgreSQL's bit (i / 8) * 8 + 7 - i % 8."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from cbkit.db import Connection, from_row, parse_uuids
from services.conversion.domain.credentials import IssuedCredential, RevocationReason

COLUMNS = (
    "id, kind, learner_id, serial, status_list, status_index, document, fingerprint,"
    " conversion_ids, serials, issued_at, revoked_at, revoke_reason, superseded_at"
)
_PG_BIT = "(($2::integer / 8) * 8 + 7 - $2::integer % 8)"
"""PostgreSQL's number of the W3C index $2 (see the module's doc)."""

Position = tuple[int, int]
"""Where a credential's bit is: its status list's number and its index in it."""


@dataclass(frozen=True)
class StatusList:
    """A status list: its bits, their version (bumped on every change) and the signed
    status list credential kept with the version it was signed at."""

    number: int
    size: int
    bits: bytes
    version: int
    changed_at: datetime
    signed: str | None
    signed_version: int | None
    signed_at: datetime | None


def _credential(row: asyncpg.Record) -> IssuedCredential:
    return from_row(
        IssuedCredential,
        row,
        conversion_ids=tuple(str(c) for c in row["conversion_ids"]),
        serials=tuple(row["serials"]),
    )


async def certificate_credential(conn: Connection, serial: str) -> IssuedCredential | None:
    """The credential issued for the certificate `serial`, if any."""
    row = await conn.fetchrow(
        f"SELECT {COLUMNS} FROM issued_credentials WHERE serial = $1 AND kind = 'CERTIFICATE'",
        serial,
    )
    return _credential(row) if row else None


async def current_transcript(conn: Connection, learner_id: str) -> IssuedCredential | None:
    """The learner's transcript credential not superseded, if any."""
    row = await conn.fetchrow(
        f"SELECT {COLUMNS} FROM issued_credentials WHERE learner_id = $1"
        " AND kind = 'TRANSCRIPT' AND superseded_at IS NULL",
        uuid.UUID(learner_id),
    )
    return _credential(row) if row else None


async def credential_by_id(conn: Connection, credential_id: str) -> IssuedCredential | None:
    ids = parse_uuids([credential_id])
    if not ids:
        return None
    row = await conn.fetchrow(f"SELECT {COLUMNS} FROM issued_credentials WHERE id = $1", ids[0])
    return _credential(row) if row else None


async def of_learner(conn: Connection, learner_id: str) -> list[IssuedCredential]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM issued_credentials WHERE learner_id = $1 ORDER BY issued_at, id",
        uuid.UUID(learner_id),
    )
    return [_credential(r) for r in rows]


async def insert(conn: Connection, credential: IssuedCredential) -> bool:
    """Keep a credential just signed; False when its certificate has one already, the
    learner a current transcript, or its status index was taken meanwhile."""
    inserted = await conn.fetchval(
        "INSERT INTO issued_credentials (id, kind, learner_id, serial, status_list,"
        " status_index, document, fingerprint, conversion_ids, serials, issued_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::uuid[], $10, $11)"
        " ON CONFLICT DO NOTHING RETURNING true",
        uuid.UUID(credential.id),
        credential.kind.value,
        uuid.UUID(credential.learner_id),
        credential.serial,
        credential.status_list,
        credential.status_index,
        credential.document,
        credential.fingerprint,
        [uuid.UUID(c) for c in credential.conversion_ids],
        list(credential.serials),
        credential.issued_at,
    )
    return bool(inserted)


async def supersede(conn: Connection, credential_id: str, at: datetime) -> None:
    """A transcript replaced by a newer one (it stays valid: someone may hold it)."""
    await conn.execute(
        "UPDATE issued_credentials SET superseded_at = $2 WHERE id = $1 AND superseded_at IS NULL",
        uuid.UUID(credential_id),
        at,
    )


async def _revoke(
    conn: Connection, where: str, args: Sequence[object], reason: RevocationReason, at: datetime
) -> list[Position]:
    rows = await conn.fetch(
        "UPDATE issued_credentials SET revoked_at = $1, revoke_reason = $2"
        f" WHERE revoked_at IS NULL AND {where} RETURNING status_list, status_index",
        at,
        reason.value,
        *args,
    )
    return [(r["status_list"], r["status_index"]) for r in rows]


async def revoke_holding_conversion(
    conn: Connection, learner_id: str, conversion_id: str, at: datetime
) -> list[Position]:
    """Mark revoked the learner's transcripts holding the conversion; their bits."""
    return await _revoke(
        conn,
        "learner_id = $3 AND kind = 'TRANSCRIPT' AND $4 = ANY(conversion_ids)",
        (uuid.UUID(learner_id), uuid.UUID(conversion_id)),
        RevocationReason.CONVERSION_REVOKED,
        at,
    )


async def revoke_with_certificate(
    conn: Connection, learner_id: str, serial: str, at: datetime
) -> list[Position]:
    """Mark revoked the certificate's credential and the learner's transcripts that
    embed it; their bits."""
    return await _revoke(
        conn,
        "learner_id = $3 AND (serial = $4 OR (kind = 'TRANSCRIPT' AND $4 = ANY(serials)))",
        (uuid.UUID(learner_id), serial),
        RevocationReason.CERTIFICATE_FLAGGED,
        at,
    )


async def revoke_of_learner(conn: Connection, learner_id: str, at: datetime) -> list[Position]:
    """Mark revoked every credential of a learner who closed the account; their bits."""
    return await _revoke(
        conn,
        "learner_id = $3",
        (uuid.UUID(learner_id),),
        RevocationReason.ACCOUNT_CLOSED,
        at,
    )


async def mark_revoked(
    conn: Connection, credential_id: str, reason: RevocationReason, at: datetime
) -> list[Position]:
    """Mark one credential revoked (one issued when it no longer held); its bit."""
    return await _revoke(conn, "id = $3", (uuid.UUID(credential_id),), reason, at)


# The status lists


async def newest_list(conn: Connection) -> tuple[int, int, int] | None:
    """The newest status list's number, size and how many credentials it holds."""
    row = await conn.fetchrow(
        "SELECT number, size, (SELECT count(*) FROM issued_credentials"
        " WHERE status_list = number) AS used FROM status_lists ORDER BY number DESC LIMIT 1"
    )
    return (row["number"], row["size"], row["used"]) if row else None


async def open_list(conn: Connection, number: int, size: int, at: datetime) -> None:
    """Open status list `number` with `size` bits all clear (if nobody did meanwhile)."""
    await conn.execute(
        "INSERT INTO status_lists (number, size, bits, changed_at) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (number) DO NOTHING",
        number,
        size,
        bytes(size // 8),
        at,
    )


async def index_taken(conn: Connection, number: int, index: int) -> bool:
    taken = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM issued_credentials"
        " WHERE status_list = $1 AND status_index = $2)",
        number,
        index,
    )
    return bool(taken)


async def set_bit(conn: Connection, number: int, index: int, at: datetime) -> None:
    """Set a credential's bit; the list's version moves on, so its signed credential is
    signed anew on the next read."""
    await conn.execute(
        f"UPDATE status_lists SET bits = set_bit(bits, {_PG_BIT}, 1),"
        " version = version + 1, changed_at = $3"
        f" WHERE number = $1 AND get_bit(bits, {_PG_BIT}) = 0",
        number,
        index,
        at,
    )


async def bit_is_set(conn: Connection, number: int, index: int) -> bool | None:
    """Whether the bit `index` of list `number` is set; None for no such list or index."""
    found = await conn.fetchval(
        f"SELECT get_bit(bits, {_PG_BIT}) = 1 FROM status_lists"
        " WHERE number = $1 AND $2::integer BETWEEN 0 AND size - 1",
        number,
        index,
    )
    return None if found is None else bool(found)


async def status_list(conn: Connection, number: int) -> StatusList | None:
    row = await conn.fetchrow(
        "SELECT number, size, bits, version, changed_at, signed, signed_version, signed_at"
        " FROM status_lists WHERE number = $1",
        number,
    )
    return from_row(StatusList, row) if row else None


async def keep_signed(
    conn: Connection, number: int, signed: str, version: int, at: datetime
) -> None:
    """Keep the status list credential signed at `version` of the bits, unless one
    signed at a later version is kept already."""
    await conn.execute(
        "UPDATE status_lists SET signed = $2, signed_version = $3, signed_at = $4"
        " WHERE number = $1 AND (signed_version IS NULL OR signed_version < $3)",
        number,
        signed,
        version,
        at,
    )
