"""Who reads a learner's cases, and how the consent events change the copy of a
consent whatever order they arrive in; without I/O."""

from datetime import UTC, datetime, timedelta

import pytest

from cbkit.auth import Principal, Role
from cbkit.errors import Forbidden
from services.certification import domain
from services.certification.domain import Consent, access
from services.certification.domain.access import NO_TIES, Ties

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
LEARNER, INSTITUTION = "learner", "institution"


def consent(granted_at=NOW - HOUR, expires_at=NOW + HOUR, revoked_at=None) -> Consent:
    return Consent("c", LEARNER, INSTITUTION, granted_at, expires_at, revoked_at)


@pytest.mark.parametrize(
    ("caller", "ties", "reads"),
    [
        (Principal(LEARNER, Role.LEARNER), NO_TIES, True),
        (Principal("other", Role.LEARNER), NO_TIES, False),
        (Principal("admin", Role.ADMIN), NO_TIES, True),
        (Principal("reviewer", Role.REVIEWER), Ties(has_case=True), True),
        (Principal("reviewer", Role.REVIEWER), NO_TIES, False),
        (Principal(INSTITUTION, Role.INSTITUTION), Ties(consents=(consent(),)), True),
        (Principal(INSTITUTION, Role.INSTITUTION), NO_TIES, False),
        (Principal(INSTITUTION, Role.INSTITUTION), Ties(has_case=True), False),
        (Principal("reviewer", Role.REVIEWER), Ties(consents=(consent(),)), False),
    ],
)
def test_who_reads_the_cases_of_a_learner(caller, ties, reads):
    assert access.may_read_cases_of(caller, LEARNER, ties, NOW) is reads


def test_a_refusal_names_the_field_and_says_what_may_not_be_read():
    with pytest.raises(Forbidden, match="may not read the certification") as refused:
        access.require_sight_of_cases(Principal("x", Role.LEARNER), LEARNER, NO_TIES, NOW, "id")
    assert refused.value.field == "id"


def test_only_institutions_and_reviewers_need_ties_and_never_to_themselves():
    assert access.ties_matter(Principal(INSTITUTION, Role.INSTITUTION), LEARNER)
    assert access.ties_matter(Principal("reviewer", Role.REVIEWER), LEARNER)
    assert not access.ties_matter(Principal("reviewer", Role.REVIEWER), "reviewer")
    assert not access.ties_matter(Principal("admin", Role.ADMIN), LEARNER)
    assert not access.ties_matter(Principal(LEARNER, Role.LEARNER), "another")


def test_a_reviewer_sees_the_queue_of_their_learners_and_an_admin_all_of_it():
    assert access.queue_reviewer(Principal("reviewer", Role.REVIEWER)) == "reviewer"
    assert access.queue_reviewer(Principal("admin", Role.ADMIN)) is None


@pytest.mark.parametrize(
    ("heard", "active"),
    [
        (consent(), True),
        (consent(expires_at=NOW), False),
        (consent(revoked_at=NOW - HOUR), False),
        (consent(revoked_at=NOW - 2 * HOUR), True),
        (consent(granted_at=None, expires_at=None, revoked_at=NOW), False),
    ],
)
def test_a_consent_is_active_when_granted_not_revoked_since_and_not_expired(heard, active):
    assert heard.active_at(NOW) is active


def test_the_grant_with_the_latest_instant_sets_the_expiry_whatever_the_order():
    first = consent(expires_at=NOW + HOUR)
    later = consent(granted_at=NOW, expires_at=NOW + 2 * HOUR)
    assert domain.with_grant(domain.with_grant(None, first), later) == later
    assert domain.with_grant(domain.with_grant(None, later), first) == later


def test_a_re_grant_at_the_same_instant_moves_the_expiry_either_way():
    far, near = consent(expires_at=NOW + 9 * HOUR), consent(expires_at=NOW + HOUR)
    assert domain.with_grant(far, near) == near
    assert domain.with_grant(near, far) == far


def test_a_revocation_holds_against_earlier_grants_only():
    revocation = Consent("c", LEARNER, INSTITUTION, revoked_at=NOW - HOUR / 2)
    revoked = domain.with_grant(domain.with_revocation(None, revocation), consent())
    assert not revoked.active_at(NOW)
    assert domain.with_revocation(consent(), revocation) == revoked
    reopened = domain.with_grant(revoked, consent(granted_at=NOW - HOUR / 4))
    assert reopened.active_at(NOW)
    older = Consent("c", LEARNER, INSTITUTION, revoked_at=NOW - 2 * HOUR)
    assert domain.with_revocation(revoked, older) == revoked
