"""The access policy without I/O: who reads a learner's credits, and when a consent
in this service's copy is active."""

from datetime import UTC, datetime, timedelta

import pytest

from cbkit.auth import Principal, Role
from cbkit.errors import Forbidden, Unauthenticated
from services.conversion.domain import ConsentTerm, access

NOW = datetime(2030, 1, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)
LEARNER = "learner-1"


def caller(role: Role, account: str = "someone") -> Principal:
    return Principal(account, role)


@pytest.mark.parametrize(
    ("term", "active"),
    [
        (ConsentTerm(NOW - HOUR, NOW + HOUR, None), True),
        (ConsentTerm(NOW - HOUR, NOW, None), False),  # expires as the clock reaches it
        (ConsentTerm(NOW - HOUR, NOW + HOUR, NOW - HOUR), False),  # revoked as granted
        (ConsentTerm(NOW - HOUR, NOW + HOUR, NOW - 2 * HOUR), True),  # granted again since
        (ConsentTerm(None, None, NOW - HOUR), False),  # only its revocation arrived
    ],
)
def test_a_consent_is_active_when_granted_since_any_revocation_and_not_expired(
    term, active
) -> None:
    assert term.active_at(NOW) is active


@pytest.mark.parametrize(
    ("viewer", "consented", "reads"),
    [
        (caller(Role.LEARNER, LEARNER), False, True),
        (caller(Role.ADMIN), False, True),
        (caller(Role.INSTITUTION), True, True),
        (caller(Role.INSTITUTION), False, False),
        (caller(Role.LEARNER), True, False),  # a consent is an institution's, never a learner's
        (caller(Role.REVIEWER), True, False),
    ],
)
def test_who_reads_a_learners_credits(viewer, consented, reads) -> None:
    assert access.may_read_credits(viewer, LEARNER, consented) is reads


def test_a_record_held_for_no_learner_is_still_no_reviewers_nor_anonymous() -> None:
    assert access.may_read_credits(caller(Role.LEARNER), None, False)
    assert not access.may_read_credits(caller(Role.REVIEWER), None, False)
    with pytest.raises(Unauthenticated):
        access.require_credits_sight(None, None, False, access.CONVERSIONS)


def test_a_refusal_names_what_may_not_be_read() -> None:
    with pytest.raises(Forbidden, match="you may not read the certificates of this learner"):
        access.require_credits_sight(caller(Role.REVIEWER), LEARNER, False, access.CERTIFICATES)


def test_a_closed_account_hides_its_credits_from_all_but_admins() -> None:
    learner = caller(Role.LEARNER, LEARNER)
    assert access.require_credits_sight(learner, LEARNER, False, access.CONVERSIONS) is True
    assert not access.require_credits_sight(learner, LEARNER, False, access.CONVERSIONS, True)
    institution = caller(Role.INSTITUTION)
    assert not access.require_credits_sight(institution, LEARNER, True, access.REFUSALS, True)
    assert access.require_credits_sight(caller(Role.ADMIN), LEARNER, False, access.REFUSALS, True)
    with pytest.raises(Unauthenticated) as refused:
        access.require_credits_sight(None, LEARNER, False, access.CONVERSIONS, True)
    assert refused.value.text("zh") == "请先登录：查看学习者的换算记录需要 bearer 令牌"
