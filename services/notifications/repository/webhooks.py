"""SQL for webhook endpoints, their deliveries and each delivery's attempts: queued
once per (endpoint, event), claimed by one replica at a time (FOR UPDATE SKIP LOCKED,
then leased), only the oldest pending one of a learner to an endpoint at a time."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from cbkit.db import Connection, arguments, from_row
from cbkit.paging import Page, PageRequest, keyset, order_by, page
from services.notifications.domain.webhooks import (
    Attempt,
    CancelReason,
    Delivery,
    DeliveryState,
    Endpoint,
    EventType,
)

CHANNEL = "notifications_webhooks"
"""NOTIFY'd when deliveries are queued (or queued again), to wake the workers."""

ENDPOINT = (
    "id, institution_id, url, event_types, secret, enabled, disabled_reason, disabled_at,"
    " created_at, previous_secret, previous_secret_expires_at"
)
DELIVERY = (
    "id, position, endpoint_id, event_id, event_type, learner_id, body, state, failures,"
    " next_attempt_at, cancelled_reason, created_at, delivered_at"
)
_PENDING = DeliveryState.PENDING.value


def _endpoint(row: asyncpg.Record) -> Endpoint:
    types = tuple(EventType(t) for t in row["event_types"])
    return from_row(Endpoint, row, event_types=types)


def _delivery(row: asyncpg.Record) -> Delivery:
    return from_row(Delivery, row)


def _endpoint_row(endpoint: Endpoint, columns: str) -> list[Any]:
    return arguments(endpoint, columns, event_types=[t.value for t in endpoint.event_types])


async def add_endpoint(conn: Connection, endpoint: Endpoint) -> None:
    await conn.execute(
        f"INSERT INTO webhook_endpoints ({ENDPOINT})"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        *_endpoint_row(endpoint, ENDPOINT),
    )


async def count_endpoints(conn: Connection, institution_id: str) -> int:
    return int(
        await conn.fetchval(
            "SELECT count(*) FROM webhook_endpoints WHERE institution_id = $1", institution_id
        )
    )


async def endpoint(conn: Connection, endpoint_id: str, lock: bool = False) -> Endpoint | None:
    row = await conn.fetchrow(
        f"SELECT {ENDPOINT} FROM webhook_endpoints WHERE id = $1" + (" FOR UPDATE" if lock else ""),
        endpoint_id,
    )
    return None if row is None else _endpoint(row)


async def endpoints_of(conn: Connection, institution_id: str) -> list[Endpoint]:
    rows = await conn.fetch(
        f"SELECT {ENDPOINT} FROM webhook_endpoints WHERE institution_id = $1"
        " ORDER BY created_at, id",
        institution_id,
    )
    return [_endpoint(r) for r in rows]


async def subscribed(
    conn: Connection, institutions: Sequence[str], event_type: EventType
) -> list[Endpoint]:
    """The endpoints of `institutions` subscribed to `event_type`, disabled ones too
    (their deliveries wait until they are enabled)."""
    rows = await conn.fetch(
        f"SELECT {ENDPOINT} FROM webhook_endpoints"
        " WHERE institution_id = ANY($1::uuid[]) AND $2 = ANY(event_types) ORDER BY id",
        [uuid.UUID(i) for i in institutions],
        event_type.value,
    )
    return [_endpoint(r) for r in rows]


_SAVED = (
    "id, url, event_types, secret, enabled, disabled_reason, disabled_at, previous_secret,"
    " previous_secret_expires_at"
)


async def save_endpoint(conn: Connection, endpoint: Endpoint) -> None:
    await conn.execute(
        "UPDATE webhook_endpoints SET url = $2, event_types = $3, secret = $4, enabled = $5,"
        " disabled_reason = $6, disabled_at = $7, previous_secret = $8,"
        " previous_secret_expires_at = $9 WHERE id = $1",
        *_endpoint_row(endpoint, _SAVED),
    )


async def delete_endpoint(conn: Connection, endpoint_id: str) -> None:
    await conn.execute("DELETE FROM webhook_endpoints WHERE id = $1", endpoint_id)


async def delete_endpoints_of(conn: Connection, institution_id: str) -> None:
    await conn.execute("DELETE FROM webhook_endpoints WHERE institution_id = $1", institution_id)


async def queue(
    conn: Connection,
    endpoints: Sequence[str],
    ids: Sequence[str],
    event_id: str,
    event_type: EventType,
    learner_id: str,
    body: str,
    at: datetime,
) -> int:
    """Queue the event to each endpoint (its delivery id alongside), due at once; a
    redelivered event queues nothing again. How many were queued."""
    status = await conn.execute(
        "INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, learner_id,"
        " body, created_at, next_attempt_at)"
        " SELECT d, e, $3, $4, $5, $6, $7, $7 FROM unnest($1::uuid[], $2::uuid[]) AS q(d, e)"
        " ON CONFLICT (endpoint_id, event_id) DO NOTHING",
        [uuid.UUID(i) for i in ids],
        [uuid.UUID(e) for e in endpoints],
        event_id,
        event_type.value,
        learner_id,
        body,
        at,
    )
    queued = int(status.rsplit(" ", 1)[-1])
    if queued:
        await wake(conn)
    return queued


async def drop_oldest(conn: Connection, endpoint_id: str, keep: int) -> int:
    """Drop the endpoint's pending deliveries but the newest `keep` (state DROPPED,
    kept in the log); how many."""
    status = await conn.execute(
        "UPDATE webhook_deliveries SET state = $3, next_attempt_at = NULL"
        " WHERE id IN (SELECT id FROM webhook_deliveries"
        f"  WHERE endpoint_id = $1 AND state = '{_PENDING}'"
        "  ORDER BY position DESC OFFSET $2 FOR UPDATE)",
        endpoint_id,
        keep,
        DeliveryState.DROPPED.value,
    )
    return int(status.rsplit(" ", 1)[-1])


async def wake(conn: Connection) -> None:
    await conn.execute("SELECT pg_notify($1, '')", CHANNEL)


CLAIM = f"""
WITH due AS (
  SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
  WHERE d.state = '{_PENDING}' AND d.next_attempt_at <= $1 AND e.enabled
    AND NOT EXISTS (
      SELECT 1 FROM webhook_deliveries p
      WHERE p.endpoint_id = d.endpoint_id AND p.learner_id = d.learner_id
        AND p.state = '{_PENDING}' AND p.position < d.position)
  ORDER BY d.next_attempt_at, d.position
  LIMIT $2
  FOR UPDATE OF d SKIP LOCKED
)
UPDATE webhook_deliveries d SET next_attempt_at = $3
FROM due, webhook_endpoints e
WHERE d.id = due.id AND e.id = d.endpoint_id
RETURNING {", ".join(f"d.{c.strip()}" for c in DELIVERY.split(","))},
  e.url, e.secret, e.institution_id,
  CASE WHEN e.previous_secret_expires_at > $1 THEN e.previous_secret END AS previous_secret
"""


async def claim(
    conn: Connection, now: datetime, limit: int, lease_until: datetime
) -> list[tuple[Delivery, str, tuple[str, ...], str]]:
    """Up to `limit` due deliveries, leased to the caller until `lease_until` (another
    replica skips them meanwhile; a replica that dies lets the lease run out): only the
    oldest pending one of each learner to each enabled endpoint. Each with its
    endpoint's URL, the secrets that sign at `now` (the current one, and a rotated-out
    one while its overlap lasts) and its institution."""
    rows = await conn.fetch(CLAIM, now, limit, lease_until)
    return [
        (
            _delivery(r),
            r["url"],
            (r["secret"], r["previous_secret"]) if r["previous_secret"] else (r["secret"],),
            str(r["institution_id"]),
        )
        for r in rows
    ]


async def log_attempts(conn: Connection, attempts: Sequence[tuple[str, Attempt]]) -> None:
    """Keep each delivery's attempt, numbered after its earlier ones."""
    await conn.executemany(
        "INSERT INTO webhook_attempts (delivery_id, number, at, status, response_ms, error)"
        " SELECT $1, coalesce(max(number), 0) + 1, $2, $3, $4, $5 FROM webhook_attempts"
        " WHERE delivery_id = $1"
        # a delivery deleted meanwhile (with its endpoint) keeps no attempt
        " HAVING EXISTS (SELECT 1 FROM webhook_deliveries WHERE id = $1)",
        [
            (uuid.UUID(delivery_id), a.at, a.status, a.response_ms, a.error)
            for delivery_id, a in attempts
        ],
    )


async def succeeded(conn: Connection, delivery_ids: Sequence[str], at: datetime) -> None:
    """Mark the deliveries done: those still pending, and those dropped (a disabled
    endpoint's backlog overflowing) while their attempt was under way, which the
    receiver has; not those cancelled meanwhile."""
    if delivery_ids:
        await conn.execute(
            "UPDATE webhook_deliveries SET state = $2, next_attempt_at = NULL, delivered_at = $3"
            " WHERE id = ANY($1::uuid[]) AND state = ANY($4::text[])",
            [uuid.UUID(i) for i in delivery_ids],
            DeliveryState.SUCCEEDED.value,
            at,
            [DeliveryState.PENDING.value, DeliveryState.DROPPED.value],
        )


async def failed(conn: Connection, delivery_id: str, failures: int, retry: datetime | None) -> bool:
    """Count a failed attempt: retry at `retry`, or fail the delivery for good when None.
    False when it was cancelled meanwhile."""
    state = DeliveryState.PENDING if retry is not None else DeliveryState.FAILED
    status = await conn.execute(
        "UPDATE webhook_deliveries SET state = $2, failures = $3, next_attempt_at = $4"
        f" WHERE id = $1 AND state = '{_PENDING}'",
        delivery_id,
        state.value,
        failures,
        retry,
    )
    return status.endswith(" 1")


async def cancel(
    conn: Connection, learner_id: str, institution_id: str | None, reason: CancelReason
) -> int:
    """Cancel the learner's pending deliveries (to `institution_id`'s endpoints, or to
    every institution's when None); how many."""
    args: list[Any] = [learner_id, DeliveryState.CANCELLED.value, reason.value]
    where = "learner_id = $1"
    if institution_id is not None:
        args.append(institution_id)
        where += " AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE institution_id = $4)"
    status = await conn.execute(
        "UPDATE webhook_deliveries SET state = $2, cancelled_reason = $3, next_attempt_at = NULL"
        f" WHERE {where} AND state = '{_PENDING}'",
        *args,
    )
    return int(status.rsplit(" ", 1)[-1])


async def cancel_each(conn: Connection, delivery_ids: Sequence[str], reason: CancelReason) -> None:
    """Cancel these deliveries (claimed, so pending) for `reason`."""
    await conn.execute(
        "UPDATE webhook_deliveries SET state = $2, cancelled_reason = $3, next_attempt_at = NULL"
        f" WHERE id = ANY($1::uuid[]) AND state = '{_PENDING}'",
        [uuid.UUID(i) for i in delivery_ids],
        DeliveryState.CANCELLED.value,
        reason.value,
    )


async def replayable(
    conn: Connection, endpoint_id: str, since: datetime, limit: int
) -> list[Delivery]:
    """The endpoint's deliveries queued at or after `since` that are over (succeeded,
    failed or dropped), oldest first."""
    rows = await conn.fetch(
        f"SELECT {DELIVERY} FROM webhook_deliveries WHERE endpoint_id = $1"
        " AND created_at >= $2 AND state = ANY($3::text[]) ORDER BY position LIMIT $4",
        endpoint_id,
        since,
        [DeliveryState.SUCCEEDED.value, DeliveryState.FAILED.value, DeliveryState.DROPPED.value],
        limit,
    )
    return [_delivery(r) for r in rows]


async def requeue(conn: Connection, ids: Sequence[str], at: datetime) -> int:
    """Queue the deliveries again from the start of the schedule (same webhook-id)."""
    status = await conn.execute(
        f"UPDATE webhook_deliveries SET state = '{_PENDING}', failures = 0,"
        " next_attempt_at = $2, delivered_at = NULL, cancelled_reason = NULL"
        " WHERE id = ANY($1::uuid[])",
        [uuid.UUID(i) for i in ids],
        at,
    )
    queued = int(status.rsplit(" ", 1)[-1])
    if queued:
        await wake(conn)
    return queued


_ORDER = ("position",)


async def deliveries(conn: Connection, endpoint_id: str, request: PageRequest) -> Page[Delivery]:
    """A page of the endpoint's delivery log, newest first."""
    args: list[Any] = [endpoint_id]
    after = keyset(request, _ORDER, args, descending=True)
    args.append(request.limit)
    rows = await conn.fetch(
        f"SELECT {DELIVERY} FROM webhook_deliveries WHERE endpoint_id = $1 AND {after}"
        f" {order_by(_ORDER, descending=True)} LIMIT ${len(args)}",
        *args,
    )
    return page(request, [_delivery(r) for r in rows], lambda d: (d.position,))


async def count_deliveries(conn: Connection, endpoint_id: str) -> int:
    return int(
        await conn.fetchval(
            "SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = $1", endpoint_id
        )
    )


async def attempts(conn: Connection, delivery_ids: Sequence[str]) -> list[tuple[str, Attempt]]:
    """The attempts of each delivery, in order."""
    rows = await conn.fetch(
        "SELECT delivery_id, at, status, response_ms, error FROM webhook_attempts"
        " WHERE delivery_id = ANY($1::uuid[]) ORDER BY delivery_id, number",
        [uuid.UUID(i) for i in delivery_ids],
    )
    return [(str(r["delivery_id"]), from_row(Attempt, r)) for r in rows]
