"""End to end with the real certification service: the learner's status follows
the review, through a request for information and the resubmission answering it."""

from cbkit.auth import Role
from cbkit.testing import eventually, gql, new_id
from services.certification.service import build as certification
from services.outcomes.tests.conftest import OUTCOME, RESUBMIT, add_result, learner, uploaded

CASE = """query($id: ID!) { _entities(representations: [{__typename: "Outcome", id: $id}])
  { ... on Outcome { certification { id status } } } }"""
CLAIM = """mutation($id: ID!) { claimCertification(id: $id) { id status } }"""
DECIDE = """mutation($id: ID!, $d: Decision!, $r: String, $c: String) {
  decideCertification(id: $id, decision: $d, reason: $r, verifiedCredentialCode: $c)
  { id status } }"""


async def test_a_review_with_a_request_for_information_ends_certified(outcomes, stack, run_service):
    _, token = learner(stack)
    reviewer = stack.token(new_id(), Role.REVIEWER)
    async with run_service(certification()) as cert:
        outcome = await add_result(outcomes, token)

        async def case():
            found = await gql(cert, CASE, {"id": outcome["id"]}, token)
            return found["data"]["_entities"][0]["certification"]

        async def case_status():
            current = await case()
            return current and current["status"]

        async def shown(expected: str) -> None:
            async def check() -> bool:
                found = await gql(outcomes, OUTCOME, {"id": outcome["id"]}, token)
                return bool(found["data"]["outcome"]["status"] == expected)

            await eventually(check)

        await eventually(lambda: _is(case_status, "PENDING"))
        case_id = (await case())["id"]
        assert "errors" not in await gql(cert, CLAIM, {"id": case_id}, reviewer)
        await shown("IN_REVIEW")
        asked = {"id": case_id, "d": "REQUEST_INFO", "r": "the stamp is unreadable"}
        assert "errors" not in await gql(cert, DECIDE, asked, reviewer)
        await shown("NEEDS_INFO")

        extra = await uploaded(outcomes, token)
        answer = {"id": outcome["id"], "note": "a clearer scan", "ev": [extra]}
        assert "errors" not in await gql(outcomes, RESUBMIT, answer, token)
        await eventually(lambda: _is(case_status, "PENDING"))
        await shown("SUBMITTED")

        assert "errors" not in await gql(cert, CLAIM, {"id": case_id}, reviewer)
        await shown("IN_REVIEW")
        approve = {"id": case_id, "d": "APPROVE", "c": "CN-PRESCHOOL-TEACHER"}
        assert "errors" not in await gql(cert, DECIDE, approve, reviewer)
        await shown("CERTIFIED")


async def _is(read, expected) -> bool:
    return bool(await read() == expected)
