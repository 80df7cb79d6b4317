"""The access policy, our copy of a consent and the storage quota, without I/O."""

from datetime import UTC, datetime, timedelta

import pytest

from cbkit.auth import Principal, Role
from cbkit.errors import Conflict, Forbidden
from services.outcomes.domain import ConsentCopy, access, check_quota
from services.outcomes.domain.access import NO_GROUNDS, Grounds
from services.outcomes.domain.evidence import MiB, size_text

LEARNER = "learner-1"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def viewer(role: Role, account_id: str = "someone") -> Principal:
    return Principal(account_id, role)


@pytest.mark.parametrize(
    ("reader", "grounds", "allowed"),
    [
        (viewer(Role.LEARNER, LEARNER), NO_GROUNDS, True),
        (viewer(Role.ADMIN), NO_GROUNDS, True),
        (viewer(Role.LEARNER), Grounds(consent=True, case=True), False),
        (viewer(Role.INSTITUTION), Grounds(consent=True), True),
        (viewer(Role.INSTITUTION), Grounds(case=True), False),
        (viewer(Role.REVIEWER), Grounds(case=True), True),
        (viewer(Role.REVIEWER), Grounds(consent=True), False),
    ],
)
def test_who_reads_a_learner_s_results(reader, grounds, allowed):
    assert access.may_read_results(reader, LEARNER, grounds) is allowed


def test_a_loose_upload_is_its_owner_s_and_admins_alone():
    access.require_evidence(viewer(Role.LEARNER, LEARNER), LEARNER, False, NO_GROUNDS)
    access.require_evidence(viewer(Role.ADMIN), LEARNER, False, NO_GROUNDS)
    for reader in (viewer(Role.REVIEWER), viewer(Role.INSTITUTION)):
        everything = Grounds(consent=True, case=True)
        access.require_evidence(reader, LEARNER, True, everything)
        with pytest.raises(Forbidden):
            access.require_evidence(reader, LEARNER, False, everything)


def copy(granted=NOW - HOUR, expires=NOW + HOUR, revoked=None) -> ConsentCopy:
    return ConsentCopy(LEARNER, granted, expires, revoked)


@pytest.mark.parametrize(
    ("consent", "active"),
    [
        (copy(), True),
        (copy(expires=NOW), False),
        (copy(revoked=NOW - 2 * HOUR), True),  # a later grant reopened it
        (copy(revoked=NOW - HOUR), False),
        (copy(revoked=NOW - HOUR / 2), False),
        (copy(granted=None, expires=None, revoked=NOW), False),  # only the revocation heard
    ],
)
def test_a_consent_is_active_until_it_expires_or_a_later_revocation(consent, active):
    assert consent.active_at(NOW) is active


def test_the_quota_counts_what_is_stored_and_names_itself():
    check_quota(2 * MiB, MiB, 3 * MiB)
    with pytest.raises(Conflict, match="quota of 3 MiB") as refused:
        check_quota(2 * MiB, MiB + 1, 3 * MiB)
    assert refused.value.field == "file"
    assert [size_text(n) for n in (100 * MiB, 3 * MiB // 2, 64 * 1024, 10)] == [
        "100 MiB",
        "1.5 MiB",
        "64 KiB",
        "10 bytes",
    ]
