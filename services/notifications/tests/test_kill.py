"""Killing the notifications service mid-burst and starting it again loses nothing:
the service as its own process, a burst of events on the exchange, SIGKILL once a
third of the deliveries arrived at a receiver verifying each with
`standardwebhooks`, then the service started again. Every delivery arrives
(at least once, a duplicate with the same webhook-id), each learner's events in
order at each endpoint, and each learner's inbox holds each message once."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest

from cbkit.testing import TestStack, eventually, free_port, serve_tcp
from services.notifications.tests import burst

pytestmark = pytest.mark.asyncio(loop_scope="session")

ENDPOINTS = 3
LEARNERS = 6
EVENTS = 300


@pytest.mark.timeout(240)
async def test_killed_mid_burst_and_started_again_it_delivers_every_event(
    stack: TestStack, tmp_path: Path
):
    namespace = "kill"
    settings = stack.settings("notifications", namespace)
    port = free_port()
    # a receiver that takes 20 ms an answer and a service sending 8 at once: the
    # burst takes long enough to be killed in its middle; attempts of at most 3 s, so
    # what the killed process had claimed is free again after 12 s (its lease)
    env = burst.service_env(
        stack,
        namespace,
        port,
        CB_WEBHOOK_CONCURRENCY="8",
        CB_WEBHOOK_POLL_SECONDS="0.2",
        CB_WEBHOOK_CONNECT_SECONDS="1",
        CB_WEBHOOK_READ_SECONDS="2",
    )
    log = tmp_path / "notifications.log"
    receiver = burst.Receiver(delay=0.02)
    async with serve_tcp(burst.receiving_app(receiver)) as receiver_url:
        service = await burst.start_service(env, port, log)
        try:
            url = f"http://127.0.0.1:{port}"
            institutions = await burst.register(url, stack, receiver, receiver_url, ENDPOINTS)
            learners = [f"00000000-0000-4000-8000-{n:012d}" for n in range(LEARNERS)]
            await burst.consent(settings.database_url, learners, institutions)
            events = [burst.converted(learners[n % LEARNERS], n) for n in range(EVENTS)]
            expected = EVENTS * ENDPOINTS

            await burst.publish(settings, events)

            async def a_third_arrived() -> bool:
                return len(receiver.arrived) >= expected // 3

            await eventually(a_third_arrived, within=120)
            service.kill()
            await service.wait()
            at_kill = len(receiver.arrived)
            assert at_kill < expected, "the burst was over before the kill"

            service = await burst.start_service(env, port, log)

            async def all_arrived() -> bool:
                return len(receiver.arrived) >= expected

            try:
                await eventually(all_arrived, within=150)
            except AssertionError:
                raise AssertionError(await _stuck(settings.database_url, at_kill)) from None
        finally:
            if service.returncode is None:
                service.terminate()
                await service.wait()

    # every event at every endpoint, verified, each under one webhook-id however
    # often it came
    assert receiver.bad == 0
    delivered = {(endpoint, event) for endpoint, event in receiver.ids}
    assert delivered == {(str(n), e.data["conversionId"]) for n in range(ENDPOINTS) for e in events}
    assert all(len(ids) == 1 for ids in receiver.ids.values())
    # each learner's events first arrived in the order they happened, at every endpoint
    for n in range(ENDPOINTS):
        for learner_index, learner in enumerate(learners):
            assert receiver.orders[str(n), learner] == list(range(learner_index, EVENTS, LEARNERS))

    conn = await asyncpg.connect(settings.database_url)
    try:
        # the log: every delivery succeeded
        states = await conn.fetch(
            "SELECT state, count(*) AS n FROM webhook_deliveries GROUP BY state"
        )
        assert {r["state"]: r["n"] for r in states} == {"SUCCEEDED": expected}
        # the inbox: each event one message of its learner's
        inbox = await conn.fetch(
            "SELECT account_id::text AS learner, about_id, count(*) AS n FROM messages"
            " WHERE kind = 'CREDITS_CONVERTED' GROUP BY account_id, about_id"
        )
    finally:
        await conn.close()
    assert sorted((r["learner"], r["about_id"]) for r in inbox) == sorted(
        (e.data["learnerId"], e.data["conversionId"]) for e in events
    )
    assert {r["n"] for r in inbox} == {1}


async def _stuck(database_url: str, at_kill: int) -> str:
    """What the log says when not everything arrived: states and the last errors."""
    conn = await asyncpg.connect(database_url)
    try:
        states = await conn.fetch(
            "SELECT state, failures, count(*) AS n FROM webhook_deliveries GROUP BY state, failures"
        )
        errors = await conn.fetch(
            "SELECT status, error, count(*) AS n FROM webhook_attempts"
            " WHERE status IS NULL OR status >= 300 GROUP BY status, error"
        )
    finally:
        await conn.close()
    return f"killed at {at_kill}; deliveries {[dict(r) for r in states]}; failed attempts" + str(
        [dict(r) for r in errors]
    )
