"""Use cases of the ledger: each takes a connection and plain values. Every entry
moves the balance in the same transaction, and its event leaves through the outbox."""

from __future__ import annotations

from datetime import date, datetime

from cbkit.auth import Principal
from cbkit.db import Connection
from cbkit.errors import NotFound
from cbkit.outbox import publish
from services.accounts import events
from services.accounts.domain import access, institutions, ledger
from services.accounts.domain import accounts as domain
from services.accounts.domain.ledger import Credit, Entry, EntryKind, Redemption
from services.accounts.repository import accounts as repository
from services.accounts.repository import institutions as institution_store
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
    """Redeem every active lot of the course the learner holds, under her consent, if
    the institution offers the course."""
    learner_id = domain.check_id(learner_id, "learnerId")
    course_code = course_code.strip()
    async with conn.transaction():
        consented = await repository.hold_active_consent(conn, learner_id, institution_id, now)
        access.require_consent_to_redeem(consented)
        if not await institution_store.offers(conn, institution_id, course_code):
            await _refuse_course(conn, institution_id, course_code)
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


async def _refuse_course(conn: Connection, institution_id: str, course_code: str) -> None:
    """Refuse a course the institution does not offer, saying which it does."""
    profile = (await institution_store.profiles_by_account(conn, [institution_id]))[0]
    account = (await repository.accounts_by_id(conn, [institution_id]))[0]
    label = profile.code if profile else account.display_name if account else institution_id
    offered = (await institution_store.offered_by(conn, [institution_id]))[0]
    institutions.require_offered(False, label, course_code.upper(), offered)


async def reverse_redemption(
    conn: Connection,
    viewer: Principal,
    redemption_id: str,
    reason: str,
    now: datetime,
    window_days: int,
) -> Redemption:
    """Give the credits of a redemption back to the learner: by the institution that made
    it (or an admin), once, within `window_days` days."""
    redemption_id = domain.check_id(redemption_id, "id")
    reason = ledger.clean_reason(reason)
    async with conn.transaction():
        found = await store.lock_redemption(conn, redemption_id)
        if found is None or not access.sees_redemption(
            viewer, found.learner_id, found.institution_id
        ):
            raise NotFound(
                f'there is no redemption with id "{redemption_id}"',
                field="id",
                zh=f"不存在 id 为 “{redemption_id}” 的兑换",
            )
        access.require_reverses(viewer, found.institution_id)
        reversal = ledger.reverse(found, reason, now, window_days)
        await store.save_reversal(conn, reversal)
        for credit in await store.lock_redeemed_by(conn, redemption_id):
            reopened, entry = ledger.reopen(credit, reversal)
            await store.set_status(conn, reopened, None)
            await store.post(conn, entry)
            await publish(conn, events.credits_redemption_reversed(reversal, credit))
    return reversal


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
