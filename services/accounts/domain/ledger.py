"""The credit ledger; no I/O.

Each conversion gives the learner one lot of credits, ACTIVE until it is
redeemed, expires or is revoked, whichever happens first; the institution that
redeemed a lot may reverse the redemption within a window, and the lot is ACTIVE
again. Every change is an append-only entry whose credits are signed (+ converted
or reversed, - otherwise) and moves the learner's balance, where

    earned = converted - revoked,
    redeemed = redemptions - reversals,
    available = earned - redeemed - expired.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum

from cbkit import text as bounded
from cbkit.errors import Conflict, Forbidden, NotFound

ZERO = Decimal("0.0")
ONE_PLACE = Decimal("0.1")


class EntryKind(Enum):
    CONVERTED = "CONVERTED"
    REDEEMED = "REDEEMED"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"
    REVERSED = "REVERSED"


class CreditStatus(Enum):
    ACTIVE = "ACTIVE"
    REDEEMED = "REDEEMED"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"


CLOSING = {
    EntryKind.REDEEMED: CreditStatus.REDEEMED,
    EntryKind.EXPIRED: CreditStatus.EXPIRED,
    EntryKind.REVOKED: CreditStatus.REVOKED,
}


def check_credits(credits: Decimal) -> Decimal:
    """The credits of a conversion: positive, with at most one decimal place."""
    if not credits.is_finite() or credits <= 0 or credits != credits.quantize(ONE_PLACE):
        raise ValueError(f"credits must be positive with one decimal place, not {credits}")
    return credits.quantize(ONE_PLACE)


@dataclass(frozen=True)
class Credit:
    """The credits of one conversion, as the learner holds them."""

    conversion_id: str
    learner_id: str
    course_code: str
    credits: Decimal
    expires_on: date | None
    status: CreditStatus = CreditStatus.ACTIVE

    def past_expiry(self, today: date) -> bool:
        """Credits are valid through their expiry date, as the calendar's zone has it."""
        return self.expires_on is not None and self.expires_on < today


@dataclass(frozen=True)
class Entry:
    id: str
    learner_id: str
    kind: EntryKind
    credits: Decimal
    course_code: str | None
    conversion_id: str | None
    institution_id: str | None
    occurred_at: datetime
    note: str | None = None


@dataclass(frozen=True)
class Balance:
    available: Decimal = ZERO
    redeemed: Decimal = ZERO
    expired: Decimal = ZERO
    earned: Decimal = ZERO


def movement(entry: Entry) -> Balance:
    """How an entry moves the balance."""
    amount = abs(entry.credits)
    match entry.kind:
        case EntryKind.CONVERTED:
            return Balance(available=amount, earned=amount)
        case EntryKind.REDEEMED:
            return Balance(available=-amount, redeemed=amount)
        case EntryKind.EXPIRED:
            return Balance(available=-amount, expired=amount)
        case EntryKind.REVOKED:
            return Balance(available=-amount, earned=-amount)
        case EntryKind.REVERSED:
            return Balance(available=amount, redeemed=-amount)


def _entry(
    credit: Credit,
    kind: EntryKind,
    credits: Decimal,
    at: datetime,
    note: str | None,
    institution_id: str | None = None,
) -> Entry:
    return Entry(
        id=str(uuid.uuid4()),
        learner_id=credit.learner_id,
        kind=kind,
        credits=credits,
        course_code=credit.course_code,
        conversion_id=credit.conversion_id,
        institution_id=institution_id,
        occurred_at=at,
        note=note,
    )


def converted(credit: Credit, at: datetime, note: str | None = None) -> Entry:
    return _entry(credit, EntryKind.CONVERTED, credit.credits, at, note)


def close(
    credit: Credit,
    kind: EntryKind,
    at: datetime,
    note: str | None = None,
    institution_id: str | None = None,
) -> tuple[Credit, Entry] | None:
    """The lot and the entry once it is redeemed, expired or revoked; None when it
    is no longer active, so nothing more can be taken from it."""
    if credit.status is not CreditStatus.ACTIVE:
        return None
    entry = _entry(credit, kind, -credit.credits, at, note, institution_id)
    return replace(credit, status=CLOSING[kind]), entry


def redeemable(credits: list[Credit], course_code: str, today: date) -> list[Credit]:
    """The learner's active credits for the course, or a refusal that says why none."""
    active = [c for c in credits if c.status is CreditStatus.ACTIVE and not c.past_expiry(today)]
    if active:
        return active
    statuses = {CreditStatus.EXPIRED if c.past_expiry(today) else c.status for c in credits}
    for status, reason, zh in (
        (CreditStatus.REDEEMED, "were already redeemed", "已被兑换"),
        (CreditStatus.EXPIRED, "have expired", "已过期"),
        (CreditStatus.REVOKED, "were revoked", "已被撤销"),
    ):
        if status in statuses:
            raise Conflict(
                f"the credits for course {course_code} {reason}",
                field="courseCode",
                zh=f"课程 {course_code} 的学分{zh}",
            )
    raise NotFound(
        f"the learner holds no credits for course {course_code}",
        field="courseCode",
        zh=f"该学习者没有课程 {course_code} 的学分",
    )


@dataclass(frozen=True)
class Redemption:
    id: str
    learner_id: str
    institution_id: str
    course_code: str
    credits: Decimal
    redeemed_at: datetime
    reversed_at: datetime | None = None
    reversal_reason: str | None = None


def redemption(
    learner_id: str, institution_id: str, course_code: str, credits: list[Credit], at: datetime
) -> Redemption:
    return Redemption(
        id=str(uuid.uuid4()),
        learner_id=learner_id,
        institution_id=institution_id,
        course_code=course_code,
        credits=sum((c.credits for c in credits), ZERO),
        redeemed_at=at,
    )


MAX_REASON = 500


def clean_reason(reason: str) -> str:
    """Why a redemption is reversed: trimmed, not empty, at most 500 characters."""
    return bounded.required(reason, "reason", MAX_REASON)


def reverse(redemption: Redemption, reason: str, now: datetime, window_days: int) -> Redemption:
    """The redemption once reversed: at most once, and only within `window_days` days of
    when it was made."""
    if redemption.reversed_at is not None:
        raise Conflict(
            f"redemption {redemption.id} was already reversed at"
            f" {redemption.reversed_at.isoformat()}",
            field="id",
            zh=f"兑换 {redemption.id} 已于 {redemption.reversed_at.isoformat()} 撤回",
        )
    closes = redemption.redeemed_at + timedelta(days=window_days)
    if now > closes:
        raise Forbidden(
            f"redemption {redemption.id} can no longer be reversed: a redemption is reversed"
            f" within {window_days} days of when it was made (until {closes.isoformat()})",
            field="id",
            zh=f"兑换 {redemption.id} 已不能撤回：兑换须在 {window_days} 天内撤回"
            f"（截止 {closes.isoformat()}）",
        )
    return replace(redemption, reversed_at=now, reversal_reason=reason)


def reopen(credit: Credit, redemption: Redemption) -> tuple[Credit, Entry]:
    """A lot a reversed redemption took, active again, and the entry that returns it."""
    assert redemption.reversed_at is not None
    entry = _entry(
        credit,
        EntryKind.REVERSED,
        credit.credits,
        redemption.reversed_at,
        redemption.reversal_reason,
        redemption.institution_id,
    )
    return replace(credit, status=CreditStatus.ACTIVE), entry
