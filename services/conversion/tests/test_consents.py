"""Conversion's copy of the consents: an institution reads a learner's credits from
the handled grant until the handled revocation, or until the expiry passes on the
service's clock (no event needed); a re-grant moves the expiry either way; grants and
revocations that arrive out of order end as their times say."""

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest_asyncio

from cbkit.auth import Role
from cbkit.testing import TestStack, error_code, gql, handled, new_id
from services.conversion.tests.conftest import Bus, Credited, consent_to, credited_learner

T0 = datetime(2030, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)
FAR = datetime(2099, 1, 1, tzinfo=UTC)
ENTITY = """query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Account { conversions { id } } ... on Outcome { conversions { id } } } }"""


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def credited(
    conversion: httpx.AsyncClient, bus: Bus, admin: str, stack: TestStack
) -> Credited:
    return await credited_learner(conversion, bus, admin, stack)


async def sight(conversion: httpx.AsyncClient, credited: Credited, token: str) -> str:
    """ "reads", or the refusal's code: the same on the learner's account and outcome."""
    found = set()
    outcome = credited.converted.data["outcomeId"]
    for typename, key in (("Account", credited.id), ("Outcome", outcome)):
        answer = await gql(conversion, ENTITY, {"r": [{"__typename": typename, "id": key}]}, token)
        found.add(error_code(answer)[0] if "errors" in answer else "reads")
    [alike] = found
    return alike


def institution(stack: TestStack, credited: Credited) -> tuple[str, dict[str, str]]:
    """A new institution's token, and a consent of the learner to it (not yet granted)."""
    account = new_id()
    return stack.token(account, Role.INSTITUTION), consent_to(credited.id, account)


async def delivered(conversion: httpx.AsyncClient, *events: Any) -> None:
    for event in events:
        await handled(conversion, event)


async def test_an_expiry_shuts_the_institution_out_by_the_clock_alone(
    conversion, bus, stack, credited, clock
) -> None:
    clock.frozen_at = T0
    token, consent = institution(stack, credited)
    assert await sight(conversion, credited, token) == "FORBIDDEN"
    await delivered(conversion, await bus.grant(consent, T0 + DAY))
    assert await sight(conversion, credited, token) == "reads"
    clock.frozen_at = T0 + DAY
    assert await sight(conversion, credited, token) == "FORBIDDEN"


async def test_a_regrant_moves_the_expiry_earlier_and_later(
    conversion, bus, stack, credited, clock
) -> None:
    clock.frozen_at = T0 + 10 * DAY
    token, consent = institution(stack, credited)

    async def sight_once_granted_until(expires: datetime) -> str:
        await delivered(conversion, await bus.grant(consent, expires))
        return await sight(conversion, credited, token)

    assert await sight_once_granted_until(T0 + 30 * DAY) == "reads"
    # accounts re-grants an active consent under its id and its first grantedAt
    assert await sight_once_granted_until(T0 + 5 * DAY) == "FORBIDDEN"
    assert await sight_once_granted_until(T0 + 60 * DAY) == "reads"
    clock.frozen_at = T0 + 60 * DAY
    assert await sight(conversion, credited, token) == "FORBIDDEN"


async def test_regrants_out_of_order_end_with_the_latest_expiry(
    conversion, bus, stack, credited, clock
) -> None:
    clock.frozen_at = T0 + 10 * DAY
    token, consent = institution(stack, credited)
    sent = datetime.now(UTC)
    # one grantedAt: the later sent wins, though it arrives first
    later = await bus.grant(consent, T0 + 5 * DAY, sent_at=sent)
    earlier = await bus.grant(consent, T0 + 60 * DAY, sent_at=sent - DAY)
    await delivered(conversion, later, earlier)
    assert await sight(conversion, credited, token) == "FORBIDDEN"

    # a later grantedAt wins over a grant sent later with an earlier one
    token, consent = institution(stack, credited)
    newer = await bus.grant(consent, T0 + 5 * DAY, granted_at=T0, sent_at=sent - DAY)
    older = await bus.grant(consent, T0 + 60 * DAY, granted_at=T0 - DAY, sent_at=sent)
    await delivered(conversion, newer, older)
    assert await sight(conversion, credited, token) == "FORBIDDEN"


async def test_a_revocation_before_its_grant_holds_and_only_a_later_grant_reopens(
    conversion, bus, stack, credited, clock
) -> None:
    clock.frozen_at = T0
    token, consent = institution(stack, credited)
    revoked = await bus.revoke(consent, T0 - DAY)
    await delivered(conversion, revoked, await bus.grant(consent, FAR, granted_at=T0 - 2 * DAY))
    assert await sight(conversion, credited, token) == "FORBIDDEN"

    await delivered(conversion, await bus.grant(consent, FAR, granted_at=T0 - DAY / 2))
    assert await sight(conversion, credited, token) == "reads"
    await delivered(conversion, await bus.revoke(consent, T0 - 3 * DAY))  # older: no effect
    assert await sight(conversion, credited, token) == "reads"
    await delivered(conversion, await bus.revoke(consent, T0))
    assert await sight(conversion, credited, token) == "FORBIDDEN"


async def test_a_revocation_refuses_the_institution_as_soon_as_it_is_handled(
    conversion, bus, stack, credited
) -> None:
    token, consent = institution(stack, credited)
    await delivered(conversion, await bus.grant(consent, FAR))
    assert await sight(conversion, credited, token) == "reads"

    published = time.monotonic()
    await delivered(conversion, await bus.revoke(consent, datetime.now(UTC)))
    assert await sight(conversion, credited, token) == "FORBIDDEN"
    lag = time.monotonic() - published
    assert lag < 10  # the lead documents it; handled() gives up after 10 s anyway
