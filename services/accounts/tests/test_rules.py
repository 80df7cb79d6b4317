"""The pure rules of accounts: who sees what, consent dates, the ledger's arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from cbkit import wire
from cbkit.auth import Principal, Role
from cbkit.errors import Conflict, NotFound, Refusal
from services.accounts.domain import access, consents, ledger
from services.accounts.domain.access import View
from services.accounts.domain.ledger import Credit, CreditStatus, EntryKind

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("viewer", "target", "consented", "view"),
    [
        (Role.LEARNER, Role.LEARNER, False, View.NOTHING),
        (Role.LEARNER, Role.INSTITUTION, False, View.PROFILE),
        (Role.REVIEWER, Role.LEARNER, False, View.NAME),
        (Role.INSTITUTION, Role.LEARNER, False, View.NOTHING),
        (Role.INSTITUTION, Role.LEARNER, True, View.FULL),
        (Role.INSTITUTION, Role.REVIEWER, False, View.PROFILE),
        (Role.ADMIN, Role.LEARNER, False, View.FULL),
        (Role.ADMIN, None, False, View.FULL),
        (Role.LEARNER, None, False, View.NOTHING),
    ],
)
def test_what_a_caller_sees_of_another_account(viewer, target, consented, view):
    assert access.view_of(Principal("viewer", viewer), "target", target, consented) == view


def test_everyone_sees_all_of_their_own_account():
    for role in Role:
        assert access.view_of(Principal("me", role), "me", role, False) == View.FULL


def test_a_year_ahead_keeps_the_day_or_falls_back_from_29_february():
    assert consents.one_year_after(NOW) == datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
    leap = datetime(2028, 2, 29, tzinfo=UTC)
    assert consents.one_year_after(leap) == datetime(2029, 2, 28, tzinfo=UTC)


def test_a_consent_expiry_without_a_zone_is_read_as_utc():
    naive = datetime(2026, 6, 1, 8, 0)
    assert consents.check_expiry(naive, NOW) == naive.replace(tzinfo=UTC)


def test_a_consent_is_active_until_it_expires_or_is_revoked():
    consent = consents.grant("l", "i", NOW + timedelta(days=1), NOW, None)
    assert consent.active_at(NOW)
    assert not consent.active_at(NOW + timedelta(days=1))
    assert not consents.revoke(consent, NOW).active_at(NOW)


def test_granting_after_a_revocation_makes_a_new_consent():
    old = consents.revoke(consents.grant("l", "i", NOW + timedelta(days=1), NOW, None), NOW)
    new = consents.grant("l", "i", NOW + timedelta(days=2), NOW, old)
    assert new.id != old.id
    assert new.active_at(NOW)


@pytest.mark.parametrize("value", ["0", "-1.0", "0.05", "NaN", "Infinity", "two", ""])
def test_credits_in_an_event_must_be_positive_tenths(value):
    with pytest.raises(ValueError):
        ledger.check_credits(wire.parse_credits(value))


def test_credits_keep_one_decimal_place():
    assert str(ledger.check_credits(wire.parse_credits("2"))) == "2.0"
    assert str(ledger.check_credits(Decimal("0.50"))) == "0.5"


def _credit(status=CreditStatus.ACTIVE, expires_on=None, credits="2.0"):
    return Credit("c", "l", "PE-101", Decimal(credits), expires_on, status)


def test_each_entry_moves_the_balance_so_that_available_is_earned_less_used():
    credit = _credit()
    entries = [ledger.converted(credit, NOW)]
    for kind in (EntryKind.REDEEMED, EntryKind.EXPIRED, EntryKind.REVOKED):
        closed = ledger.close(credit, kind, NOW)
        assert closed is not None
        entries.append(closed[1])
    for entry in entries:
        moved = ledger.movement(entry)
        assert moved.available == moved.earned - moved.redeemed - moved.expired
        assert moved.available == entry.credits


def test_a_lot_closes_once():
    closed = ledger.close(_credit(), EntryKind.REDEEMED, NOW, institution_id="i")
    assert closed is not None
    credit, entry = closed
    assert (credit.status, entry.credits, entry.institution_id) == (
        CreditStatus.REDEEMED,
        Decimal("-2.0"),
        "i",
    )
    assert ledger.close(credit, EntryKind.REVOKED, NOW) is None


def test_credits_are_valid_through_their_last_day():
    day = date(2026, 3, 1)
    assert not _credit(expires_on=day).past_expiry(day)
    assert _credit(expires_on=day).past_expiry(day + timedelta(days=1))


@pytest.mark.parametrize(
    ("held", "refusal", "reason"),
    [
        ([], NotFound, "the learner holds no credits for course PE-101"),
        ([_credit(CreditStatus.REDEEMED)], Conflict, "were already redeemed"),
        ([_credit(CreditStatus.EXPIRED)], Conflict, "have expired"),
        ([_credit(expires_on=date(2026, 2, 1))], Conflict, "have expired"),
        ([_credit(CreditStatus.REVOKED)], Conflict, "were revoked"),
    ],
)
def test_a_refused_redemption_says_why(held, refusal, reason):
    with pytest.raises(refusal, match=reason) as caught:
        ledger.redeemable(held, "PE-101", date(2026, 3, 1))
    assert isinstance(caught.value, Refusal)
    assert caught.value.field == "courseCode"


def test_a_redemption_takes_every_active_lot_of_the_course():
    held = [_credit(), _credit(CreditStatus.REVOKED), _credit(credits="1.5")]
    taken = ledger.redeemable(held, "PE-101", date(2026, 3, 1))
    assert ledger.redemption("l", "i", "PE-101", taken, NOW).credits == Decimal("3.5")


def test_credit_events_show_to_their_learner_to_admins_and_to_institutions_since_consent():
    institution = Principal("i", Role.INSTITUTION)
    assert access.sees_credit_event(Principal("l", Role.LEARNER), "l", NOW, None)
    assert not access.sees_credit_event(Principal("o", Role.LEARNER), "l", NOW, None)
    assert access.sees_credit_event(Principal("a", Role.ADMIN), "l", NOW, None)
    assert access.sees_credit_event(institution, "l", NOW, NOW - timedelta(days=1))
    assert not access.sees_credit_event(institution, "l", NOW, NOW + timedelta(seconds=1))
    assert not access.sees_credit_event(institution, "l", NOW, None)
