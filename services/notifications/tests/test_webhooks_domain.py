"""The webhooks' pure rules: the signature a third party's verifier accepts, the retry
schedule of at least a day, the addresses refused in production, the consent that
decides who is sent a learner's events; and the client refusing, at delivery, a host
whose address became private."""

from __future__ import annotations

import asyncio
import secrets
import time
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.types import Receive, Scope, Send

from cbkit.errors import Refusal
from cbkit.testing import serve_tcp
from services.notifications.adapters.webhook_client import WebhookClient, WebhookPolicy
from services.notifications.domain import webhooks as domain

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_a_signature_verifies_with_standardwebhooks_and_a_changed_byte_does_not():
    secret = domain.new_secret(secrets.token_bytes(24))
    assert secret.startswith("whsec_") and len(secret) == 6 + 32
    body = domain.payload(domain.EventType.CREDITS_CONVERTED, T0, {"credits": "2.0", "n": "中文"})
    msg_id = domain.webhook_id(domain.delivery_id("e1", "ev1"))
    headers = domain.headers([secret], msg_id, int(time.time()), body)
    assert Webhook(secret).verify(body, headers) == {
        "type": "credits.converted",
        "timestamp": "2026-12-01T08:00:00Z",
        "data": {"credits": "2.0", "n": "中文"},
    }
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace("2.0", "3.0"), headers)
    other = domain.new_secret(secrets.token_bytes(24))
    with pytest.raises(WebhookVerificationError):
        Webhook(other).verify(body, headers)


def test_one_delivery_keeps_one_id_and_each_pair_has_its_own():
    assert domain.delivery_id("e1", "ev1") == domain.delivery_id("e1", "ev1")
    assert domain.delivery_id("e1", "ev1") != domain.delivery_id("e2", "ev1")
    assert domain.webhook_id(domain.delivery_id("e1", "ev1")).startswith("msg_")


@pytest.mark.parametrize("jitter", [-1.0, 0.0, 1.0])
def test_the_schedule_retries_for_at_least_a_day_with_growing_waits(jitter):
    at, waits = T0, []
    failures = 0
    while True:
        failures += 1
        retry = domain.next_attempt(failures, at, jitter)
        if retry is None:
            break
        waits.append(retry - at)
        at = retry
    assert failures == 8  # the first attempt and seven retries
    assert at - T0 >= timedelta(hours=24)
    assert waits == sorted(waits)
    assert timedelta(seconds=4) <= waits[0] <= timedelta(seconds=6)


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.215.14", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.0.0.8", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("224.0.0.251", False),
        ("240.0.0.1", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:10.0.0.1", False),
        ("ff02::1", False),
        ("not an address", False),
    ],
)
def test_production_sends_only_to_public_unicast_addresses(address, allowed):
    assert domain.address_allowed(address, allow_private=False) is allowed
    assert domain.address_allowed(address, allow_private=True) is True


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/hook",
        "ftp://example.org/",
        "https:///nohost",
        "https://u:p@example.org/",
        "https://example.org/#frag",
        "https://example.org:99999/",
        "https://example.org/" + "a" * 2000,
    ],
)
def test_urls_refused_in_production_name_the_field(url):
    with pytest.raises(Refusal) as refused:
        domain.check_url(url, allow_private=False)
    assert refused.value.field == "url"
    assert refused.value.text("zh") != refused.value.text("en")


def test_development_allows_plain_http():
    assert domain.check_url("http://127.0.0.1:8080/h", allow_private=True) == domain.Target(
        "http", "127.0.0.1", 8080
    )


def test_the_newest_consent_decides():
    granted = T0
    active = domain.ConsentTerm("i1", granted, T0 + timedelta(days=30), None)
    revoked = domain.ConsentTerm("i2", granted, T0 + timedelta(days=30), T0 + timedelta(hours=1))
    regranted = domain.ConsentTerm(
        "i3", T0 + timedelta(hours=2), T0 + timedelta(days=30), T0 + timedelta(hours=1)
    )
    expired = domain.ConsentTerm("i4", granted, T0 + timedelta(hours=1), None)
    only_revoked = domain.ConsentTerm("i5", None, None, T0)
    now = T0 + timedelta(hours=3)
    terms = [active, revoked, regranted, expired, only_revoked]
    assert domain.consenting(terms, now) == {"i1", "i3"}


async def test_the_client_refuses_at_delivery_a_host_that_resolves_to_a_private_address():
    client = WebhookClient(WebhookPolicy(allow_private=False))
    try:
        body = orjson.dumps({"type": "x"}).decode()
        answer = await client.send("https://localhost:1/hook", {}, body)
        assert answer.status is None and answer.response_ms is None
        assert answer.error is not None and "resolves to" in answer.error
        plain = await client.send("http://93.184.215.14/hook", {}, body)
        assert plain.error is not None and "https://" in plain.error
    finally:
        await client.close()


async def _trickle(scope: Scope, receive: Receive, send: Send) -> None:
    """A receiver that answers 500 and then sends its body a byte every 0.2 s for 10 s
    (or 2 MB at once at /big)."""
    assert scope["type"] == "http"
    await send({"type": "http.response.start", "status": 500, "headers": []})
    if scope["path"] == "/big":
        await send({"type": "http.response.body", "body": b"x" * 2_000_000})
        return
    for _ in range(50):
        await send({"type": "http.response.body", "body": b".", "more_body": True})
        await asyncio.sleep(0.2)
    await send({"type": "http.response.body", "body": b""})


async def test_an_attempt_ends_by_its_deadline_however_slowly_the_receiver_answers():
    # read timeouts alone would wait for ever on a byte every 0.2 s
    policy = WebhookPolicy(allow_private=True, connect_seconds=0.5, read_seconds=1.0)
    client = WebhookClient(policy)
    try:
        async with serve_tcp(_trickle) as url:
            answer = await client.send(f"{url}/hook", {}, "{}")
            assert answer.status is None
            assert answer.error is not None and answer.error.startswith("timeout")
            # a huge answer is read only as far as the log keeps it
            big = await client.send(f"{url}/big", {}, "{}")
            assert big.status == 500
            assert big.error == "HTTP 500: " + "x" * 300
    finally:
        await client.close()
    # what a replica claims stays its own four times the longest attempt
    assert policy.lease == timedelta(seconds=6)
