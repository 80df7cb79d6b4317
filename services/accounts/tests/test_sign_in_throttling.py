"""Sign-in attempts are counted before the password is checked, per email and per client
address; past the free ones the next attempt waits, a little longer each time, and
never so long that one wrong password a quarter hour keeps anyone out."""

from __future__ import annotations

import asyncio
import ipaddress
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from cbkit.testing import error_code
from services.accounts.domain.sign_in import (
    BACK_OFF,
    MAX_DELAY,
    PRIVATE_NETWORKS,
    QUIET,
    Scope,
    client_address,
    parse_networks,
)
from services.accounts.service import DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD
from services.accounts.tests.conftest import (
    PASSWORD,
    attempt,
    clock_at,
    new_address,
    unique_email,
)

WRONG = "wrong-password"
FREE = {scope: back_off.free for scope, back_off in BACK_OFF.items()}


def outcome(body: dict) -> str:
    """What a sign-in came to: SIGNED_IN, or the refusal's code."""
    return error_code(body)[0] if "errors" in body else "SIGNED_IN"


async def fail(accounts, email: str, address: str, times: int) -> None:
    for _ in range(times):
        assert outcome(await attempt(accounts, email, WRONG, address)) == "UNAUTHENTICATED"


def test_the_wait_doubles_past_the_free_attempts_up_to_a_ceiling_under_a_quarter_hour():
    delays = BACK_OFF[Scope.EMAIL].delays()
    assert delays[: FREE[Scope.EMAIL] - 1] == [0.0] * (FREE[Scope.EMAIL] - 1)
    assert delays[FREE[Scope.EMAIL] - 1 :] == [15, 30, 60, 120, 240, 480, 600]
    assert MAX_DELAY < QUIET == timedelta(minutes=15)


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "address"),
    [
        ("127.0.0.1", "203.0.113.7, 10.0.0.2", "203.0.113.7"),  # the gateway forwards
        ("10.1.2.3", "2001:db8::1", "2001:db8::1"),
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # a stranger chooses nothing
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", None, "127.0.0.1"),
        (None, "198.51.100.1", "unknown"),
    ],
)
def test_the_client_address_is_the_first_forwarded_hop_only_behind_a_trusted_proxy(
    peer, forwarded_for, address
):
    trusted = parse_networks(PRIVATE_NETWORKS)
    assert client_address(peer, forwarded_for, trusted) == address


def test_trusted_proxies_are_addresses_or_networks():
    assert parse_networks(" 10.0.0.0/8, ::1 ,") == (
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("::1"),
    )
    with pytest.raises(ValueError, match="'gateway' is not an address or a network"):
        parse_networks("10.0.0.0/8,gateway")


async def test_past_the_free_attempts_even_the_right_password_waits(accounts, people):
    learner, address = await people.learner(), new_address()
    start = datetime.now(UTC)
    with clock_at(accounts, start):
        await fail(accounts, learner.email, address, FREE[Scope.EMAIL])
        waiting = await attempt(accounts, learner.email, PASSWORD, address)
    with clock_at(accounts, start + timedelta(seconds=15)):
        after_the_wait = await attempt(accounts, learner.email, PASSWORD, address)

    assert error_code(waiting) == ("TOO_MANY_REQUESTS", "email")
    assert waiting["errors"][0]["message"] == "too many failed sign-ins; try again in 15 seconds"
    assert after_the_wait["data"]["login"]["account"]["id"] == learner.id


async def test_each_further_failure_doubles_the_wait_and_an_unknown_email_waits_alike(accounts):
    email, address = unique_email("Ghost"), new_address()
    start = datetime.now(UTC)
    with clock_at(accounts, start):
        await fail(accounts, email, address, FREE[Scope.EMAIL])
    with clock_at(accounts, start + timedelta(seconds=15)):
        await fail(accounts, email, address, 1)
        waiting = await attempt(accounts, email, PASSWORD, address)
    assert waiting["errors"][0]["message"] == "too many failed sign-ins; try again in 30 seconds"


async def test_a_successful_sign_in_forgets_the_failures_before_it(accounts, people):
    learner, address = await people.learner(), new_address()
    for _ in range(3):
        await fail(accounts, learner.email, address, FREE[Scope.EMAIL] - 1)
        assert outcome(await attempt(accounts, learner.email, PASSWORD, address)) == "SIGNED_IN"


async def test_concurrent_wrong_passwords_are_each_counted_before_any_is_checked(accounts, people):
    """20 at once, from 20 addresses: only the free ones reach the password."""
    learner = await people.learner()
    answers = await asyncio.gather(
        *(attempt(accounts, learner.email, WRONG, new_address()) for _ in range(20))
    )
    assert Counter(outcome(a) for a in answers) == {
        "UNAUTHENTICATED": FREE[Scope.EMAIL],
        "TOO_MANY_REQUESTS": 20 - FREE[Scope.EMAIL],
    }
    right = await attempt(accounts, learner.email, PASSWORD, new_address())
    assert error_code(right) == ("TOO_MANY_REQUESTS", "email")


async def test_one_address_trying_many_emails_waits_too(accounts, people):
    learner, address = await people.learner(), new_address()
    tries = FREE[Scope.ADDRESS] + 10
    answers = await asyncio.gather(
        *(attempt(accounts, unique_email("Spray"), WRONG, address) for _ in range(tries))
    )
    assert Counter(outcome(a) for a in answers) == {
        "UNAUTHENTICATED": FREE[Scope.ADDRESS],
        "TOO_MANY_REQUESTS": 10,
    }
    from_there = await attempt(accounts, learner.email, PASSWORD, address)
    from_elsewhere = await attempt(accounts, learner.email, PASSWORD, new_address())
    assert error_code(from_there) == ("TOO_MANY_REQUESTS", "email")
    assert outcome(from_elsewhere) == "SIGNED_IN"


async def test_one_wrong_password_a_quarter_hour_never_keeps_the_admin_out(accounts):
    """Three hours of a mistyped password every quarter hour, then the right one at once."""
    address = new_address()
    start = datetime.now(UTC) - timedelta(hours=4)
    for n in range(12):
        with clock_at(accounts, start + n * QUIET):
            await fail(accounts, DEV_ADMIN_EMAIL, address, 1)
    with clock_at(accounts, start + 11 * QUIET + timedelta(seconds=1)):
        right = await attempt(accounts, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD, address)
    assert outcome(right) == "SIGNED_IN", right
