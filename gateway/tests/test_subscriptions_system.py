"""Credit events through the gateway on the running system: a learner's certificate is
approved and converted, and her subscription on the gateway (WebSocket, token in
connection_init) receives both events, in order, from accounts' feed."""

from __future__ import annotations

from datetime import timedelta

import httpx

from cbkit.auth import Role
from cbkit.testing import RunningSystem, TestStack, eventually
from gateway.tests.world import ADD, CLAIM, DECIDE, OPEN, PASSWORD, QUEUE, World, must
from gateway.tests.world import upload_evidence as upload
from gateway.tests.ws_client import GraphQLWebSocket

EVENTS = """subscription ($types: [String!]) {
  creditEvents(types: $types) { id cursor type learnerId occurredAt data }
}"""
WANTED = ["certification.approved", "credits.converted"]


async def test_a_learner_follows_her_credit_events_through_the_gateway(
    running_system: RunningSystem, world: World
) -> None:
    gateway = running_system.gateway
    async with httpx.AsyncClient(timeout=30) as client:
        opened = await must(
            client,
            gateway,
            OPEN,
            {"e": "chen.jing.sub@example.org", "p": PASSWORD, "n": "Chen Jing"},
        )
        token = opened["openAccount"]["token"]
        learner_id = opened["openAccount"]["account"]["id"]
        async with (
            GraphQLWebSocket.initialised(gateway, token) as learner,
            GraphQLWebSocket.initialised(gateway, world.tokens["institution"]) as institution,
        ):
            await learner.subscribe("mine", EVENTS, {"types": WANTED})
            await institution.subscribe("consented", EVENTS, {"types": WANTED})
            evidence = await upload(client, running_system.url("outcomes"), token, "sub")
            result_input = {
                "kind": "QUALIFICATION_CERTIFICATE",
                "title": "Preschool teacher qualification",
                "issuer": "Chongqing education board",
                "credentialCode": "CN-PRESCHOOL-TEACHER",
                "achievedOn": "2023-07-01",
                "evidenceIds": [evidence],
            }
            added = await must(client, gateway, ADD, {"input": result_input}, token)
            outcome_id = added["addResult"]["id"]
            case: dict[str, str] = {}

            async def queued() -> bool:
                queue = await must(client, gateway, QUEUE, token=world.tokens["reviewer"])
                found = [c["id"] for c in queue["reviewQueue"] if c["outcome"]["id"] == outcome_id]
                case.update({"id": found[0]} if found else {})
                return bool(found)

            await eventually(queued, within=30)
            await must(client, gateway, CLAIM, {"id": case["id"]}, world.tokens["reviewer"])
            decision = {"id": case["id"], "d": "APPROVE", "c": "CN-PRESCHOOL-TEACHER"}
            await must(client, gateway, DECIDE, decision, world.tokens["reviewer"])

            received = [await learner.receive(within=30) for _ in WANTED]
            assert [m["type"] for m in received] == ["next", "next"], received
            events = [m["payload"]["data"]["creditEvents"] for m in received]
            assert [e["type"] for e in events] == WANTED
            assert {e["learnerId"] for e in events} == {learner_id}
            assert events[0]["data"]["outcomeId"] == outcome_id
            assert events[1]["data"]["courseCode"] == "PE-CGADO"
            assert events[1]["data"]["credits"] == "2.5"
            # she gave the university no consent: it received nothing of hers
            assert await institution_silent(institution)


async def institution_silent(institution: GraphQLWebSocket) -> bool:
    try:
        message = await institution.receive(within=1.5)
    except TimeoutError:
        return True
    raise AssertionError(f"the institution received {message}")


async def test_an_expired_token_is_refused_on_the_running_system(
    running_system: RunningSystem, stack: TestStack
) -> None:
    expired = stack.token("someone", Role.LEARNER, expires_in=timedelta(seconds=-60))
    async with GraphQLWebSocket.open(running_system.gateway) as socket:
        await socket.send(
            {"type": "connection_init", "payload": {"Authorization": f"Bearer {expired}"}}
        )
        assert await socket.closed() == (4403, "token expired")
