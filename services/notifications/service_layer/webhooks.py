"""Institutions' webhooks: endpoints registered, changed, rotated, enabled, deleted
and replayed by their institution; events queued to them as deliveries in the
transaction that records the event (only those the learner's active consent
covers); and the worker that sends them, signed, retrying on the schedule of
`domain/webhooks.py` until it disables an endpoint and tells its institution."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import secrets
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import asyncpg

from cbkit.auth import Principal, Role
from cbkit.db import Connection, lock
from cbkit.errors import Conflict, NotFound, Refusal
from cbkit.listen import Listener
from cbkit.paging import Page, PageRequest
from services.notifications.adapters.webhook_client import (
    WebhookClient,
    WebhookPolicy,
    checked_address,
)
from services.notifications.domain import About, AboutType, Kind
from services.notifications.domain import webhooks as domain
from services.notifications.domain.webhooks import (
    Attempt,
    CancelReason,
    Delivery,
    Endpoint,
    EventType,
)
from services.notifications.repository import accounts, consents
from services.notifications.repository import webhooks as repository
from services.notifications.service_layer import inbox
from services.notifications.service_layer.dependencies import Dependencies

log = logging.getLogger(__name__)

DISABLED = "DELIVERIES_FAILED"
"""Why an endpoint was disabled: a delivery failed for the whole retry schedule."""


@dataclass(frozen=True)
class LoggedDelivery:
    """A delivery with its attempts, as the endpoint's log shows it."""

    delivery: Delivery
    attempts: list[Attempt]


async def _checked_target(deps: Dependencies, url: str) -> str:
    """The URL checked by the policy and its host's addresses resolved now."""
    allow = deps.webhooks.allow_private
    target = domain.check_url(url, allow)
    await checked_address(target, allow)
    return url.strip()


async def _own(conn: Connection, viewer: Principal, endpoint_id: str, lock: bool) -> Endpoint:
    """The caller's own endpoint; another's reads as not found."""
    domain.require_institution(viewer)
    found = None
    with contextlib.suppress(ValueError):
        found = await repository.endpoint(conn, str(uuid.UUID(endpoint_id)), lock)
    if found is None or found.institution_id != viewer.account_id:
        raise NotFound(
            f"no webhook endpoint {endpoint_id[:40]} of yours",
            field="id",
            zh=f"没有属于你的 Webhook 端点 {endpoint_id[:40]}",
        )
    return found


async def register(
    conn: Connection,
    deps: Dependencies,
    viewer: Principal,
    url: str,
    event_types: Sequence[EventType],
) -> tuple[Endpoint, str]:
    """Register an endpoint of the calling institution: its URL checked (and resolved),
    subscribed to `event_types`; the endpoint and its secret (shown only now)."""
    domain.require_institution(viewer)
    types = domain.check_event_types(event_types)
    checked = await _checked_target(deps, url)
    secret = domain.new_secret(secrets.token_bytes(domain.SECRET_BYTES))
    endpoint = Endpoint(
        id=str(uuid.uuid4()),
        institution_id=viewer.account_id,
        url=checked,
        event_types=types,
        secret=secret,
        enabled=True,
        disabled_reason=None,
        disabled_at=None,
        created_at=deps.clock.now(),
    )
    async with conn.transaction():
        await lock(conn, f"webhooks:{viewer.account_id}")
        if await repository.count_endpoints(conn, viewer.account_id) >= domain.MAX_ENDPOINTS:
            raise domain.too_many_endpoints()
        await repository.add_endpoint(conn, endpoint)
    return endpoint, secret


async def update(
    conn: Connection,
    deps: Dependencies,
    viewer: Principal,
    endpoint_id: str,
    url: str | None,
    event_types: Sequence[EventType] | None,
) -> Endpoint:
    """Change the caller's endpoint's URL or event types (what is None stays)."""
    checked = None if url is None else await _checked_target(deps, url)
    types = None if event_types is None else domain.check_event_types(event_types)
    async with conn.transaction():
        endpoint = await _own(conn, viewer, endpoint_id, lock=True)
        changed = replace(
            endpoint,
            url=checked or endpoint.url,
            event_types=types or endpoint.event_types,
        )
        await repository.save_endpoint(conn, changed)
    return changed


async def rotate(
    conn: Connection,
    deps: Dependencies,
    viewer: Principal,
    endpoint_id: str,
    overlap_hours: int | None = None,
) -> tuple[Endpoint, str]:
    """A new secret for the caller's endpoint, shown only now; the old one still signs
    beside it for `overlap_hours` (24 by default, 0 to 168), so a receiver mid-deploy
    accepts deliveries with either (a secret rotated out earlier signs no more)."""
    hours = domain.check_overlap(overlap_hours)
    async with conn.transaction():
        endpoint = await _own(conn, viewer, endpoint_id, lock=True)
        secret = domain.new_secret(secrets.token_bytes(domain.SECRET_BYTES))
        changed = endpoint.rotated(secret, deps.clock.now(), hours)
        await repository.save_endpoint(conn, changed)
    return changed, secret


async def delete(conn: Connection, deps: Dependencies, viewer: Principal, endpoint_id: str) -> str:
    """Delete the caller's endpoint with its log; its id."""
    async with conn.transaction():
        endpoint = await _own(conn, viewer, endpoint_id, lock=True)
        await repository.delete_endpoint(conn, endpoint.id)
    return endpoint.id


async def enable(
    conn: Connection, deps: Dependencies, viewer: Principal, endpoint_id: str
) -> Endpoint:
    """Enable the caller's disabled endpoint: what waited for it is sent again, in order
    (the delivery that failed for good is sent again only by a replay)."""
    async with conn.transaction():
        endpoint = await _own(conn, viewer, endpoint_id, lock=True)
        if endpoint.enabled:
            raise Conflict(
                "the webhook endpoint is enabled already",
                field="id",
                zh="该 Webhook 端点已是启用状态",
            )
        changed = replace(endpoint, enabled=True, disabled_reason=None, disabled_at=None)
        await repository.save_endpoint(conn, changed)
        await repository.wake(conn)
    return changed


async def replay(
    conn: Connection, deps: Dependencies, viewer: Principal, endpoint_id: str, since: datetime
) -> int:
    """Send again the caller's endpoint's deliveries queued since `since` that succeeded,
    failed or were dropped (each with its own webhook-id, so a receiver can tell), at most 1,000,
    those of learners whose consent no longer covers the institution left out; how
    many were queued."""
    if since.tzinfo is None:
        raise Refusal(
            "since must name its time zone (e.g. 2026-12-01T08:00:00Z)",
            field="since",
            zh="since 必须带时区（例如 2026-12-01T08:00:00Z）",
        )
    now = deps.clock.now()
    async with conn.transaction():
        endpoint = await _own(conn, viewer, endpoint_id, lock=True)
        found = await repository.replayable(conn, endpoint.id, since, domain.MAX_REPLAY)
        covered: dict[str, bool] = {}
        ids = []
        for delivery in found:
            if not delivery.event_type.about_consent:
                if delivery.learner_id not in covered:
                    terms = await consents.of_learner(conn, delivery.learner_id)
                    covered[delivery.learner_id] = viewer.account_id in domain.consenting(
                        terms, now
                    )
                if not covered[delivery.learner_id]:
                    continue
            ids.append(delivery.id)
        return await repository.requeue(conn, ids, now) if ids else 0


async def endpoints_of(conn: Connection, viewer: Principal, institution_id: str) -> list[Endpoint]:
    """An institution's endpoints, for itself or an admin (who is told when the account
    is no institution, as this service heard of it)."""
    is_institution = viewer.account_id == institution_id and viewer.role is Role.INSTITUTION
    if not is_institution and domain.may_read_endpoints(viewer, institution_id):
        account = await accounts.find(conn, institution_id)
        is_institution = account is not None and account.role is Role.INSTITUTION
    domain.require_read_endpoints(viewer, institution_id, is_institution)
    return await repository.endpoints_of(conn, institution_id)


async def endpoint_of(conn: Connection, viewer: Principal, endpoint_id: str) -> Endpoint:
    """One endpoint, for its institution or an admin; refused saying why otherwise (no
    such endpoint, or another institution's)."""
    found = None
    with contextlib.suppress(ValueError):
        found = await repository.endpoint(conn, str(uuid.UUID(endpoint_id)))
    return domain.readable_endpoint(viewer, endpoint_id, found)


async def log_of(conn: Connection, endpoint_id: str, request: PageRequest) -> Page[LoggedDelivery]:
    """A page of an endpoint's delivery log, newest first, each with its attempts."""
    # one snapshot: a delivery's state and its attempts as one commit left them
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        found = await repository.deliveries(conn, endpoint_id, request)
        attempts: dict[str, list[Attempt]] = {d.id: [] for d in found.items}
        for delivery_id, attempt in await repository.attempts(conn, list(attempts)):
            attempts[delivery_id].append(attempt)
    items = [LoggedDelivery(d, attempts[d.id]) for d in found.items]
    return Page(items=items, cursors=found.cursors, has_next=found.has_next)


async def count_log(conn: Connection, endpoint_id: str) -> int:
    return await repository.count_deliveries(conn, endpoint_id)


# -- events in --------------------------------------------------------------------


async def hear(
    conn: Connection,
    deps: Dependencies,
    event_id: str,
    event_type: EventType,
    happened_at: datetime,
    data: Mapping[str, Any],
) -> int:
    """Queue an event about a learner to every endpoint subscribed to its type of the
    institutions the learner's consent covers now (a consent's own events: to its
    institution); how many deliveries were queued."""
    learner_id = str(data["learnerId"])
    if event_type.about_consent:
        institutions = {str(data["institutionId"])}
    else:
        terms = await consents.of_learner(conn, learner_id)
        institutions = domain.consenting(terms, deps.clock.now())
    if not institutions:
        return 0
    endpoints = await repository.subscribed(conn, sorted(institutions), event_type)
    if not endpoints:
        return 0
    body = domain.payload(event_type, happened_at, data)
    ids = [domain.delivery_id(e.id, event_id) for e in endpoints]
    queued = await repository.queue(
        conn,
        [e.id for e in endpoints],
        ids,
        event_id,
        event_type,
        learner_id,
        body,
        deps.clock.now(),
    )
    for endpoint in endpoints:
        if not endpoint.enabled:
            await _cap_backlog(conn, deps, endpoint.id)
    return queued


async def _cap_backlog(conn: Connection, deps: Dependencies, endpoint_id: str) -> None:
    """A disabled endpoint keeps at most CB_WEBHOOK_DISABLED_BACKLOG deliveries
    waiting: the oldest beyond it are dropped (DROPPED in its log, replayable)."""
    dropped = await repository.drop_oldest(conn, endpoint_id, deps.webhooks.disabled_backlog)
    if dropped:
        log.warning(
            "webhook endpoint %s is disabled: dropped its %d oldest waiting deliveries"
            " (more than %d waited)",
            endpoint_id,
            dropped,
            deps.webhooks.disabled_backlog,
        )


async def hear_grant(
    conn: Connection,
    consent_id: str,
    learner_id: str,
    institution_id: str,
    granted_at: datetime,
    expires_at: datetime,
) -> None:
    await consents.grant(conn, consent_id, learner_id, institution_id, granted_at, expires_at)


async def hear_revocation(
    conn: Connection,
    deps: Dependencies,
    consent_id: str,
    learner_id: str,
    institution_id: str,
    revoked_at: datetime,
) -> int:
    """Keep the revocation and, unless another consent still covers the institution,
    cancel at once what was queued of the learner to it; how many were cancelled."""
    await consents.revoke(conn, consent_id, learner_id, institution_id, revoked_at)
    terms = await consents.of_learner(conn, learner_id)
    if institution_id in domain.consenting(terms, deps.clock.now()):
        return 0
    return await repository.cancel(conn, learner_id, institution_id, CancelReason.CONSENT_REVOKED)


async def close_account(conn: Connection, account_id: str, role: Role) -> None:
    """A closed learner's queued deliveries are cancelled; a closed institution's
    endpoints and their logs deleted; either's consents forgotten."""
    if role is Role.INSTITUTION:
        await repository.delete_endpoints_of(conn, account_id)
    else:
        await repository.cancel(conn, account_id, None, CancelReason.ACCOUNT_CLOSED)
    await consents.forget(conn, account_id)


# -- the worker -------------------------------------------------------------------


Claimed = tuple[Delivery, str, tuple[str, ...], str]
"""A claimed delivery with its endpoint's URL, signing secrets and institution."""


class WebhookWorker:
    """One per replica: keeps up to `concurrency` deliveries in flight, refilling a slot
    as soon as one ends (so a slow endpoint holds only its own slot), claims due ones
    when woken by NOTIFY, an ended delivery or every poll_seconds, and keeps what the
    ended attempts got, a batch of them in one transaction."""

    def __init__(self, database_url: str, pool: asyncpg.Pool, deps: Dependencies) -> None:
        self._listener = Listener(database_url, repository.CHANNEL)
        self._pool = pool
        self._deps = deps
        self._client = WebhookClient(deps.webhooks)
        self._tasks: list[asyncio.Task[None]] = []
        self._in_flight: set[asyncio.Task[None]] = set()
        self._ended: list[tuple[Claimed, Attempt]] = []
        self._nudge = asyncio.Event()

    @property
    def policy(self) -> WebhookPolicy:
        return self._deps.webhooks

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._run(), name="webhook-worker"),
            asyncio.create_task(self._listen(), name="webhook-listener"),
        ]

    async def close(self) -> None:
        for task in [*self._tasks, *self._in_flight]:
            task.cancel()
        for task in [*self._tasks, *self._in_flight]:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._listener.close()
        await self._client.close()

    async def _listen(self) -> None:
        while True:
            await self._listener.wait(self.policy.poll_seconds)
            self._nudge.set()

    async def _run(self) -> None:
        while True:
            try:
                busy = await self.step()
            except (OSError, asyncpg.PostgresError):
                log.warning("cannot deliver webhooks now; retrying", exc_info=True)
                busy = False
            if not busy:
                await self._nudge.wait()
                self._nudge.clear()

    async def step(self) -> bool:
        """Keep what ended attempts got, then claim due deliveries into the free slots
        and start sending them; whether there was anything to do."""
        kept = await self._keep()
        free = self.policy.concurrency - len(self._in_flight)
        if free < max(1, self.policy.concurrency // 4) and self._in_flight:
            return kept  # claim when a quarter of the slots is free: fewer, larger claims
        now = self._deps.clock.now()
        async with self._pool.acquire() as conn, conn.transaction():
            claimed = await repository.claim(conn, now, free, now + self.policy.lease)
            claimed = await self._still_consented(conn, claimed, now)
        for one in claimed:
            task = asyncio.create_task(self._attempt(one))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        return kept or bool(claimed)

    async def _still_consented(
        self, conn: Connection, claimed: list[Claimed], now: datetime
    ) -> list[Claimed]:
        """The claimed deliveries whose learner's consent still covers the institution
        (a consent's own events always); the others are cancelled: their consent
        expired while they waited (a revocation cancelled its own at once)."""
        learners = sorted({d.learner_id for d, *_ in claimed if not d.event_type.about_consent})
        if not learners:
            return claimed
        terms: dict[str, list[domain.ConsentTerm]] = {}
        for learner_id, term in await consents.of_learners(conn, learners):
            terms.setdefault(learner_id, []).append(term)
        keep: list[Claimed] = []
        lapsed: list[Claimed] = []
        for one in claimed:
            delivery, _, _, institution = one
            covered = delivery.event_type.about_consent or institution in domain.consenting(
                terms.get(delivery.learner_id, []), now
            )
            (keep if covered else lapsed).append(one)
        if lapsed:
            ids = [d.id for d, *_ in lapsed]
            await repository.cancel_each(conn, ids, CancelReason.CONSENT_EXPIRED)
        return keep

    async def _attempt(self, claimed: Claimed) -> None:
        delivery, url, signing, _ = claimed
        attempt = await self._send(delivery, url, signing)
        self._ended.append((claimed, attempt))
        self._nudge.set()

    async def _keep(self) -> bool:
        """Keep the ended attempts in one transaction: logged, done or to retry."""
        ended, self._ended = self._ended, []
        if not ended:
            return False
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                await repository.log_attempts(conn, [(c[0].id, a) for c, a in ended])
                done = [c[0].id for c, a in ended if a.succeeded]
                await repository.succeeded(conn, done, max(a.at for _, a in ended))
                for (delivery, url, _, institution), attempt in ended:
                    if not attempt.succeeded:
                        await self._failed(conn, delivery, url, institution, attempt.at)
        except (OSError, asyncpg.PostgresError):
            # not kept: their leases run out and they are sent again (same webhook-id)
            log.warning("cannot keep %d webhook attempts", len(ended), exc_info=True)
        return True

    async def _send(self, delivery: Delivery, url: str, signing: Sequence[str]) -> Attempt:
        # the signature's timestamp is the wall clock's: receivers check it against theirs
        stamp = int(time.time())
        headers = domain.headers(signing, delivery.webhook_id, stamp, delivery.body)
        answer = await self._client.send(url, headers, delivery.body)
        return Attempt(self._deps.clock.now(), answer.status, answer.response_ms, answer.error)

    async def _failed(
        self, conn: Connection, delivery: Delivery, url: str, institution: str, at: datetime
    ) -> None:
        """Retry later on the schedule; after its last attempt, disable the endpoint."""
        failures = delivery.failures + 1
        retry = domain.next_attempt(failures, at, random.uniform(-1.0, 1.0))
        still_pending = await repository.failed(conn, delivery.id, failures, retry)
        if retry is None and still_pending:
            await self._disable(conn, delivery.endpoint_id, institution, url, at)

    async def _disable(
        self, conn: Connection, endpoint_id: str, institution: str, url: str, at: datetime
    ) -> None:
        endpoint = await repository.endpoint(conn, endpoint_id, lock=True)
        if endpoint is None or not endpoint.enabled:
            return
        disabled = replace(endpoint, enabled=False, disabled_reason=DISABLED, disabled_at=at)
        await repository.save_endpoint(conn, disabled)
        await _cap_backlog(conn, self._deps, endpoint_id)
        about = About(AboutType.WEBHOOK_ENDPOINT, endpoint_id)
        told = str(uuid.uuid4())
        await inbox.tell(
            conn, self._deps, told, institution, Kind.WEBHOOK_DISABLED, about, {"url": url}
        )
