"""An institution reads a learner's cases only under an active consent in this
service's own copy of the consents: revoked, expired or never given, nothing;
a re-grant moves the expiry either way, whatever order the events arrive in."""

import time
from datetime import UTC, datetime, timedelta

from cbkit.auth import Role
from cbkit.testing import handled, new_id
from services.certification.tests.conftest import (
    consent_granted,
    consent_revoked,
    current,
    open_case,
    reads,
    sight,
    submitted,
)

NOW = datetime.now(UTC)


async def a_case(certification, bus):
    """A case on a fresh learner's outcome: the outcome's data and the case's id."""
    data = submitted()
    return data, (await open_case(certification, bus, data))["id"]


async def heard(certification, bus, event):
    """Publish `event` and wait until the service handled it."""
    await bus.resend(event)
    await handled(certification, event)
    return event


async def granted(certification, bus, data, institution_id, expires_at, granted_at=NOW, **more):
    grant = consent_granted(data["learnerId"], institution_id, expires_at, granted_at, **more)
    return await heard(certification, bus, grant)


async def test_an_institution_reads_only_the_learners_that_consent_to_it(certification, bus, stack):
    data, case_id = await a_case(certification, bus)
    other_data, other_case_id = await a_case(certification, bus)
    institution_id, other_institution_id = new_id(), new_id()
    institution = stack.token(institution_id, Role.INSTITUTION)
    assert not await reads(certification, data, case_id, institution)

    await granted(certification, bus, data, institution_id, expires_at=NOW + timedelta(days=30))
    as_learner = await current(certification, data["outcomeId"], bus.learner(data))
    assert await sight(certification, data, case_id, institution) == [as_learner] * 2
    assert not await reads(certification, other_data, other_case_id, institution)
    other = stack.token(other_institution_id, Role.INSTITUTION)
    assert not await reads(certification, data, case_id, other)


async def test_a_revoked_consent_shuts_the_case_as_soon_as_the_revocation_is_handled(
    certification, bus, stack
):
    data, case_id = await a_case(certification, bus)
    institution_id = new_id()
    institution = stack.token(institution_id, Role.INSTITUTION)
    grant = await granted(
        certification, bus, data, institution_id, expires_at=NOW + timedelta(days=30)
    )
    assert await reads(certification, data, case_id, institution)

    published = time.monotonic()
    await heard(certification, bus, consent_revoked(grant, datetime.now(UTC)))
    assert not await reads(certification, data, case_id, institution)
    lag = time.monotonic() - published
    assert lag < 10


async def test_an_expired_consent_shows_nothing_without_any_event(certification, bus, stack, clock):
    data, case_id = await a_case(certification, bus)
    institution_id = new_id()
    institution = stack.token(institution_id, Role.INSTITUTION)
    expires_at = NOW + timedelta(hours=1)
    await granted(certification, bus, data, institution_id, expires_at=expires_at)

    clock.frozen_at = expires_at - timedelta(seconds=1)
    assert await reads(certification, data, case_id, institution)
    clock.frozen_at = expires_at
    assert not await reads(certification, data, case_id, institution)


async def test_a_re_grant_moves_the_expiry_later_and_earlier(certification, bus, stack, clock):
    data, case_id = await a_case(certification, bus)
    institution_id = new_id()
    institution = stack.token(institution_id, Role.INSTITUTION)
    first = await granted(
        certification, bus, data, institution_id, expires_at=NOW + timedelta(hours=1)
    )
    # accounts keeps the consent's id and grant instant when a grant moves its expiry
    same = {"consent_id": first.data["consentId"]}
    clock.frozen_at = NOW + timedelta(hours=2)
    assert not await reads(certification, data, case_id, institution)

    await granted(
        certification, bus, data, institution_id, expires_at=NOW + timedelta(hours=3), **same
    )
    assert await reads(certification, data, case_id, institution), "moved later"

    await granted(
        certification, bus, data, institution_id, expires_at=NOW + timedelta(hours=90), **same
    )
    assert await reads(certification, data, case_id, institution), "moved later again"
    await granted(
        certification, bus, data, institution_id, expires_at=NOW + timedelta(minutes=90), **same
    )
    assert not await reads(certification, data, case_id, institution), "moved earlier"


async def test_consent_events_out_of_order_end_where_their_instants_say(certification, bus, stack):
    data, case_id = await a_case(certification, bus)
    institution_id = new_id()
    institution = stack.token(institution_id, Role.INSTITUTION)
    consent_id = new_id()
    later = NOW + timedelta(days=30)
    early_grant = consent_granted(
        data["learnerId"], institution_id, later, NOW - timedelta(hours=2), consent_id
    )
    await heard(certification, bus, consent_revoked(early_grant, NOW - timedelta(hours=1)))
    await heard(certification, bus, early_grant)
    assert not await reads(certification, data, case_id, institution), "revoked before it arrived"

    await granted(certification, bus, data, institution_id, later, NOW, consent_id=consent_id)
    assert await reads(certification, data, case_id, institution), "granted again after that"

    await granted(
        certification,
        bus,
        data,
        institution_id,
        NOW - timedelta(seconds=1),
        NOW - timedelta(hours=3),
        consent_id=consent_id,
    )
    assert await reads(certification, data, case_id, institution), "an older grant changes nothing"
