"""The inbox: the other services' events become messages to the learner (or, for
consents, the institution), in the request's language, linking what they are about;
a redelivered event adds none; only the account itself reads and marks them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from websockets.exceptions import ConnectionClosed

from cbkit.auth import Role
from cbkit.testing import Subscription, error_code, eventually, gql, new_id, serve_tcp
from services.notifications.service import build
from services.notifications.tests.conftest import MARK, UNREAD, inbox, messages, sent

pytestmark = pytest.mark.asyncio(loop_scope="session")

ZH = {"Accept-Language": "zh-CN"}


async def test_a_decision_reaches_the_learner_naming_the_result_in_their_language(
    notifications, bus, stack
):
    learner = new_id()
    token = stack.token(learner, Role.LEARNER)
    submitted = await sent(notifications, bus, await bus.submitted(learner, "Welding level 3"))
    await sent(
        notifications,
        bus,
        await bus.decided("certification.rejected", submitted, reason="The scan is unreadable"),
    )

    [message] = await messages(notifications, learner, token)
    assert message["kind"] == "REJECTED"
    assert message["title"] == "Result not certified"
    assert message["body"] == "“Welding level 3” was not certified. Reason: The scan is unreadable"
    assert message["about"] == {"type": "OUTCOME", "id": submitted.data["outcomeId"]}
    assert message["readAt"] is None

    answer = await gql(notifications, UNREAD, {"id": learner}, token, headers=ZH)
    assert answer["data"]["_entities"][0]["unreadNotifications"] == 1
    zh = await gql(
        notifications,
        'query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}])'
        " { ... on Account { notifications { nodes { title body } } } } }",
        {"id": learner},
        token,
        headers=ZH,
    )
    [shown] = zh["data"]["_entities"][0]["notifications"]["nodes"]
    assert shown == {
        "title": "学习成果未通过认证",
        "body": "“Welding level 3”未通过认证。理由：The scan is unreadable",
    }


async def test_each_credit_event_tells_the_learner_and_links_its_key(notifications, bus, stack):
    learner = new_id()
    token = stack.token(learner, Role.LEARNER)
    submitted = await sent(notifications, bus, await bus.submitted(learner))
    approved = await bus.decided("certification.approved", submitted, credentialCode="CN-T")
    converted = await bus.converted(learner, "2.5", expiresOn="2030-01-31")
    serial = "CB-2026-000123"
    awarded = await bus.publish(
        "/services/conversion",
        "certificate.awarded",
        learner,
        {
            "serial": serial,
            "programCode": "ECE",
            "learnerId": learner,
            "awardedAt": "2026-12-01T08:00:00Z",
        },
    )
    redemption = new_id()
    lot = {
        "redemptionId": redemption,
        "conversionId": converted.data["conversionId"],
        "learnerId": learner,
        "institutionId": new_id(),
        "courseCode": "ED101",
        "credits": "2.5",
    }
    redeemed = await bus.publish("/services/accounts", "credits.redeemed", learner, lot)
    reversed_ = await bus.publish(
        "/services/accounts", "credits.redemption_reversed", learner, lot | {"reason": "typo"}
    )
    expired = await bus.publish(
        "/services/accounts",
        "credits.expired",
        learner,
        {
            "conversionId": converted.data["conversionId"],
            "learnerId": learner,
            "courseCode": "ED101",
            "credits": "2.5",
            "expiresOn": "2030-01-31",
        },
    )
    revoked = await bus.publish(
        "/services/conversion",
        "credits.revoked",
        learner,
        {
            "conversionId": converted.data["conversionId"],
            "learnerId": learner,
            "courseCode": "ED101",
            "credits": "2.5",
            "reason": "forged",
        },
    )
    for event in (approved, converted, awarded, redeemed, reversed_, expired, revoked):
        await sent(notifications, bus, event)

    found = await messages(notifications, learner, token, first=20)
    by_kind = {m["kind"]: m for m in found}
    conversion = {"type": "CONVERSION", "id": converted.data["conversionId"]}
    assert {k: m["about"] for k, m in by_kind.items()} == {
        "CERTIFIED": {"type": "OUTCOME", "id": submitted.data["outcomeId"]},
        "CREDITS_CONVERTED": conversion,
        "CERTIFICATE_AWARDED": {"type": "CERTIFICATE", "id": serial},
        "CREDITS_REDEEMED": {"type": "REDEMPTION", "id": redemption},
        "REDEMPTION_REVERSED": {"type": "REDEMPTION", "id": redemption},
        "CREDITS_EXPIRED": conversion,
        "CREDITS_REVOKED": conversion,
    }
    assert by_kind["CREDITS_CONVERTED"]["body"] == (
        "2.5 credits for course ED101. Valid until 2030-01-31."
    )
    assert by_kind["CERTIFIED"]["body"] == (
        "“Preschool teacher qualification” was certified. Credential: CN-T."
    )
    assert "ECE" in by_kind["CERTIFICATE_AWARDED"]["body"]


async def test_the_lots_of_one_redemption_make_one_message(notifications, bus, stack):
    learner = new_id()
    token = stack.token(learner, Role.LEARNER)
    redemption = new_id()
    for credits in ("2.0", "1.5"):
        lot = {
            "redemptionId": redemption,
            "conversionId": new_id(),
            "learnerId": learner,
            "institutionId": new_id(),
            "courseCode": "ED101",
            "credits": credits,
        }
        redeemed = await bus.publish("/services/accounts", "credits.redeemed", learner, lot)
        await sent(notifications, bus, redeemed)
    await bus.resend(redeemed)  # a redelivered lot counts once
    await sent(notifications, bus, await bus.converted(learner))

    found = await messages(notifications, learner, token)
    assert [(m["kind"], m["body"]) for m in found] == [
        ("CREDITS_CONVERTED", "2.0 credits for course ED101."),
        ("CREDITS_REDEEMED", "3.5 credits for course ED101 were redeemed."),
    ]


async def test_a_redelivered_event_adds_no_message(notifications, bus, stack):
    learner = new_id()
    token = stack.token(learner, Role.LEARNER)
    converted = await sent(notifications, bus, await bus.converted(learner))
    await bus.resend(converted)
    # a later event, handled after the redelivery in the same queue
    await sent(notifications, bus, await bus.converted(learner, "1.0"))

    found = await messages(notifications, learner, token)
    assert sorted(m["body"] for m in found) == [
        "1.0 credits for course ED101.",
        "2.0 credits for course ED101.",
    ]


async def test_the_inbox_pages_newest_first_and_filters_the_unread(notifications, bus, stack):
    learner = new_id()
    token = stack.token(learner, Role.LEARNER)
    for credits in ("1.0", "2.0", "3.0", "4.0", "5.0"):
        await sent(notifications, bus, await bus.converted(learner, credits))

    first = await inbox(notifications, learner, token, first=2)
    page = first["data"]["_entities"][0]["notifications"]
    assert page["totalCount"] == 5 and page["pageInfo"]["hasNextPage"]
    bodies = [e["node"]["body"][:3] for e in page["edges"]]
    assert bodies == ["5.0", "4.0"]
    after = page["pageInfo"]["endCursor"]
    rest = await messages(notifications, learner, token, first=10, after=after)
    assert [m["body"][:3] for m in rest] == ["3.0", "2.0", "1.0"]

    marked = await gql(notifications, MARK, {"ids": [rest[0]["id"], rest[1]["id"]]}, token)
    assert marked == {"data": {"markNotificationsRead": 2}}
    again = await gql(notifications, MARK, {"ids": [rest[0]["id"]]}, token)
    assert again == {"data": {"markNotificationsRead": 0}}, "read already: nothing changes"

    unread = await messages(notifications, learner, token, unread=True)
    assert [m["body"][:3] for m in unread] == ["5.0", "4.0", "1.0"]
    read = await messages(notifications, learner, token)
    assert [m["readAt"] is not None for m in read] == [False, False, True, True, False]
    assert (await inbox(notifications, learner, token))["data"]["_entities"][0][
        "unreadNotifications"
    ] == 3

    everything = await gql(notifications, MARK, {"all": True}, token)
    assert everything == {"data": {"markNotificationsRead": 3}}
    assert await messages(notifications, learner, token, unread=True) == []


async def test_only_the_account_itself_reads_or_marks_its_inbox(notifications, bus, stack):
    learner = new_id()
    token = stack.token(learner, Role.LEARNER)
    await sent(notifications, bus, await bus.converted(learner))
    [message] = await messages(notifications, learner, token)

    for role in Role:
        other = stack.token(new_id(), role)
        answer = await inbox(notifications, learner, other)
        assert error_code(answer) == ("FORBIDDEN", "notifications"), role
        # marking another's message read changes nothing
        marked = await gql(notifications, MARK, {"ids": [message["id"]]}, other)
        assert marked == {"data": {"markNotificationsRead": 0}}, role
        unread = await gql(notifications, UNREAD, {"id": learner}, other)
        assert error_code(unread) == ("FORBIDDEN", "unreadNotifications"), role

    anonymous = await inbox(notifications, learner, None)
    assert error_code(anonymous)[0] == "UNAUTHENTICATED"
    assert error_code(await gql(notifications, MARK, {"all": True}))[0] == "UNAUTHENTICATED"
    assert (await messages(notifications, learner, token))[0]["readAt"] is None


async def test_marking_needs_ids_or_all_and_at_most_a_hundred(notifications, stack):
    token = stack.token(new_id(), Role.LEARNER)
    for variables in ({}, {"ids": [new_id()], "all": True}, {"ids": [new_id()] * 101}):
        answer = await gql(notifications, MARK, variables, token)
        assert error_code(answer) == ("BAD_USER_INPUT", "ids"), variables
    not_ids = await gql(notifications, MARK, {"ids": ["not-a-uuid"]}, token)
    assert not_ids == {"data": {"markNotificationsRead": 0}}


async def test_an_institution_hears_of_consents_granted_and_revoked(notifications, bus, stack):
    learner, institution = new_id(), new_id()
    token = stack.token(institution, Role.INSTITUTION)
    await sent(notifications, bus, await bus.opened(learner, Role.LEARNER, "Li Wei"))
    granted = await sent(
        notifications, bus, await bus.consent("consent.granted", learner, institution)
    )
    await sent(notifications, bus, await bus.consent("consent.revoked", learner, institution))

    revoked_message, granted_message = await messages(notifications, institution, token)
    assert granted_message["kind"] == "CONSENT_GRANTED"
    assert granted_message["body"] == "Li Wei lets you read their credits until 2027-07-01."
    assert granted_message["about"] == {"type": "CONSENT", "id": granted.data["consentId"]}
    assert revoked_message["kind"] == "CONSENT_REVOKED"
    assert revoked_message["body"] == "Li Wei revoked their consent to you."
    learner_token = stack.token(learner, Role.LEARNER)
    assert await messages(notifications, learner, learner_token) == []


ADDED = "subscription { notificationAdded { id kind title body about { type id } readAt } }"


async def subscribed(client, feed: Subscription, account_id: str) -> None:
    """Subscribe, and wait until the service streams the account's messages."""
    live = client.runtime.deps.live
    before = live.streams_of(account_id)
    await feed.subscribe(ADDED)

    async def listening() -> bool:
        return bool(live.streams_of(account_id) > before)

    await eventually(listening)


async def test_a_new_message_reaches_its_account_live_and_no_other(
    notifications, bus, stack, ws_url
):
    learner, other = new_id(), new_id()
    async with Subscription(ws_url, stack.token(learner, Role.LEARNER)) as feed:
        await subscribed(notifications, feed, learner)
        await sent(notifications, bus, await bus.converted(other, "9.0"))
        converted = await sent(notifications, bus, await bus.converted(learner, "1.5"))
        payload = await feed.next()
        added = payload["data"]["notificationAdded"]
        assert added["kind"] == "CREDITS_CONVERTED"
        assert added["body"] == "1.5 credits for course ED101."
        assert added["about"] == {"type": "CONVERSION", "id": converted.data["conversionId"]}
        [stored] = await messages(notifications, learner, stack.token(learner, Role.LEARNER))
        assert added["id"] == stored["id"] and added["readAt"] is None


async def test_the_subscription_needs_a_token_and_ends_with_it(notifications, bus, stack, ws_url):
    async with Subscription(ws_url) as anonymous:
        await anonymous.subscribe(ADDED)
        refused = await anonymous.next()
        assert refused["data"] is None
        assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    learner = new_id()
    short = stack.token(learner, Role.LEARNER, timedelta(seconds=2))
    async with Subscription(ws_url, short) as feed:
        await subscribed(notifications, feed, learner)
        await sent(notifications, bus, await bus.converted(learner))
        assert (await feed.next())["data"]["notificationAdded"]["kind"] == "CREDITS_CONVERTED"
        with pytest.raises(ConnectionClosed) as closed:
            await feed.next()
        assert closed.value.rcvd is not None
        assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4403, "token expired")
    assert notifications.runtime.deps.live.streams_of(learner) == 0


async def test_a_subscriber_on_one_replica_hears_messages_another_replica_wrote(
    notifications, bus, stack, run_service
):
    learner = new_id()
    async with (
        run_service(build()) as replica,
        serve_tcp(replica.app) as url,
        Subscription(f"{url}/graphql", stack.token(learner, Role.LEARNER)) as feed,
    ):
        await subscribed(replica, feed, learner)
        for n in range(10):  # one after another: two replicas consume side by side
            await sent(replica, bus, await bus.converted(learner, f"{n}.0"))
        got = [(await feed.next())["data"]["notificationAdded"]["body"] for _ in range(10)]
        assert got == [f"{n}.0 credits for course ED101." for n in range(10)]
