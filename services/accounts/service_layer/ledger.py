"""Use cases of the ledger: each takes a connection and plain values. Every entry
moves the balance in the same transaction, and its event leaves through the outbox."""

from __future__ import annotations

from datetime import date, datetime

from cbkit.db import Connection
from cbkit.outbox import publish
from services.accounts import events
from services.accounts.domain import access, ledger
from services.accounts.domain import accounts as domain
from services.accounts.domain.ledger import Credit, Entry, EntryKind, Redemption
from services.accounts.repository import accounts as repository
from services.accounts.repository import ledger as store

EXPIRY_BATCH = 500


async def record_conversion(conn: Connection, credit: Credit, at: datetime) -> None:
    """Post the credits of a conversion once, however often it is told."""
    if await store.insert_credit(conn, credit):
        await store.post(conn, ledger.converted(credit, at))


async def record_revocation(conn: Connection, revoked: Credit, reason: str, at: datetime) -> None:
    """Take back a conversion's credits if the learner still holds them. A revocation
    that arrives before its conversion leaves the conversion nothing to post."""
    if await store.insert_credit(conn, revoked):
        return
    credit = await store.lock_credit(conn, revoked.conversion_id)
    assert credit is not None
    closed = ledger.close(credit, EntryKind.REVOKED, at, note=reason)
    if closed:
        await _post_closing(conn, closed)


async def redeem(
    conn: Connection,
    institution_id: str,
    learner_id: str,
    course_code: str,
    now: datetime,
    today: date,
) -> Redemption:
    """Redeem every active lot of the course the learner holds, under her consent."""
    learner_id = domain.check_id(learner_id, "learnerId")
    course_code = course_code.strip()
    async with conn.transaction():
        consented = await repository.hold_active_consent(conn, learner_id, institution_id, now)
        access.require_consent_to_redeem(consented)
        held = await store.lock_course_credits(conn, learner_id, course_code)
        taken = ledger.redeemable(held, course_code, today)
        redemption = ledger.redemption(learner_id, institution_id, taken[0].course_code, taken, now)
        await store.insert_redemption(conn, redemption)
        for credit in taken:
            closed = ledger.close(credit, EntryKind.REDEEMED, now, institution_id=institution_id)
            assert closed is not None
            await _post_closing(conn, closed, redemption.id)
            await publish(conn, events.credits_redeemed(redemption, credit))
    return redemption


async def expire_due(conn: Connection, today: date, now: datetime) -> int:
    """Expire a batch of credits whose validity ended before `today`; how many."""
    due = await store.lock_expiring(conn, today, EXPIRY_BATCH)
    for credit in due:
        note = f"valid until {credit.expires_on}"
        closed = ledger.close(credit, EntryKind.EXPIRED, now, note=note)
        assert closed is not None
        await _post_closing(conn, closed)
        await publish(conn, events.credits_expired(credit, now))
    return len(due)


async def _post_closing(
    conn: Connection, closed: tuple[Credit, Entry], redemption_id: str | None = None
) -> None:
    credit, entry = closed
    await store.set_status(conn, credit, redemption_id)
    await store.post(conn, entry)
