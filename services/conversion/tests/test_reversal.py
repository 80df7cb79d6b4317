"""An institution's redemption reversed (`credits.redemption_reversed`, from accounts):
the redeemed conversion is active again, once; a revoked or expired one stays so."""

from cbkit.envelope import Event
from cbkit.testing import gql, handled, new_id
from services.conversion.tests.conftest import ACCOUNTS, Catalog, learner

STATUSES = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}]) {
  ... on Account { conversionsConnection { nodes { id status course { code } } } } } }"""
REVOKE = 'mutation($id: ID!) { revokeConversion(id: $id, reason: "forged") { status } }'
NOW = "2026-06-01T08:00:00Z"


async def statuses(conversion, account: str, token: str) -> dict[str, str]:
    found = await gql(conversion, STATUSES, {"id": account}, token)
    assert "errors" not in found, found
    nodes = found["data"]["_entities"][0]["conversionsConnection"]["nodes"]
    return {n["course"]["code"]: n["status"] for n in nodes}


def redemption(conversion_id: str, account: str, course: str) -> dict[str, str]:
    return {
        "redemptionId": new_id(),
        "conversionId": conversion_id,
        "learnerId": account,
        "institutionId": new_id(),
        "courseCode": course,
        "credits": "2.0",
    }


async def test_a_reversed_redemption_makes_the_conversion_active_again(
    conversion, bus, admin, stack
) -> None:
    catalog = Catalog(conversion, admin)
    major = await catalog.major()
    pairs = [await catalog.course_with_rule(str(i), "2.0", major) for i in range(3)]
    account, token = learner(stack)
    for _, credential in pairs:
        await handled(conversion, await bus.approve(account, credential))
    found = await gql(conversion, STATUSES, {"id": account}, token)
    nodes = found["data"]["_entities"][0]["conversionsConnection"]["nodes"]
    ids = {n["course"]["code"]: n["id"] for n in nodes}
    (redeemed, _), (revoked, _), (expired, _) = pairs

    for course in (redeemed, revoked):
        data = {**redemption(ids[course], account, course), "redeemedAt": NOW}
        await handled(conversion, await bus.send("credits.redeemed", data, ACCOUNTS))
    assert "errors" not in await gql(conversion, REVOKE, {"id": ids[revoked]}, admin)
    expiry = {"conversionId": ids[expired], "learnerId": account, "courseCode": expired,
              "credits": "2.0", "expiresOn": "2026-06-01", "expiredAt": NOW}  # fmt: skip
    await handled(conversion, await bus.send("credits.expired", expiry, ACCOUNTS))
    assert await statuses(conversion, account, token) == {
        redeemed: "REDEEMED",
        revoked: "REVOKED",
        expired: "EXPIRED",
    }

    reversals = []
    for course in (redeemed, revoked, expired):
        data = {
            **redemption(ids[course], account, course),
            "reason": "course cancelled",
            "reversedAt": NOW,
        }
        reversals.append(await bus.send("credits.redemption_reversed", data, ACCOUNTS))
    for event in reversals:
        await handled(conversion, event)
    assert await statuses(conversion, account, token) == {
        redeemed: "ACTIVE",
        revoked: "REVOKED",
        expired: "EXPIRED",
    }

    # redeemed again, the first reversal redelivered changes nothing: it was applied
    data = {**redemption(ids[redeemed], account, redeemed), "redeemedAt": NOW}
    await handled(conversion, await bus.send("credits.redeemed", data, ACCOUNTS))
    await bus.resend(reversals[0])
    marker = await bus.send("credits.expired", {**expiry, "conversionId": new_id()}, ACCOUNTS)
    await handled(conversion, marker)  # one learner's events are handled in order
    assert (await statuses(conversion, account, token))[redeemed] == "REDEEMED"

    # a reversal of credits that expired since leaves them expired
    expire = {**expiry, "conversionId": ids[redeemed], "courseCode": redeemed}
    second = {**data, "redeemedAt": NOW}
    reversal = {**second, "reason": "course cancelled", "reversedAt": NOW}
    await handled(conversion, await bus.send("credits.redemption_reversed", reversal, ACCOUNTS))
    await handled(conversion, await bus.send("credits.expired", expire, ACCOUNTS))
    again = Event("credits.redemption_reversed", ACCOUNTS, account, reversal)
    await bus.resend(again)
    await handled(conversion, again)
    assert await statuses(conversion, account, token) == {
        redeemed: "EXPIRED",
        revoked: "REVOKED",
        expired: "EXPIRED",
    }
