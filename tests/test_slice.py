"""The first slice: open an account, add a result, see its certification case."""

from datetime import UTC, datetime

from cbkit.testing import eventually, gql
from services.accounts.service import build as accounts
from services.certification.service import build as certification
from services.outcomes.service import build as outcomes

OPEN = """mutation($e: String!) { openAccount(email: $e, password: "long-enough-pw",
  displayName: "Li Na") { token account { id email role } } }"""
ADD = """mutation { addResult(input: {kind: WORK_EXPERIENCE,
  title: "Kindergarten teaching assistant", issuer: "Sunshine Kindergarten",
  credentialCode: "cn-preschool-teacher", achievedOn: "2024-06-30", evidenceIds: []})
  { id status credentialCode learner { id } } }"""
CASE = """query($id: ID!) { _entities(representations: [{__typename: "Outcome", id: $id}])
  { ... on Outcome { certification { status submittedOn dueOn workingDaysLeft overdue
    history { status note } } } } }"""


async def test_a_result_added_by_a_new_learner_gets_a_case_due_in_15_working_days(run_service):
    async with (
        run_service(accounts()) as acc,
        run_service(outcomes()) as out,
        run_service(certification()) as cert,
    ):
        opened = await gql(acc, OPEN, {"e": "Li.Na@Example.org"})
        token = opened["data"]["openAccount"]["token"]
        learner = opened["data"]["openAccount"]["account"]
        assert learner["email"] == "li.na@example.org"
        assert learner["role"] == "LEARNER"

        me = await gql(acc, "{ me { id displayName } }", token=token)
        assert me["data"]["me"] == {"id": learner["id"], "displayName": "Li Na"}

        added = await gql(out, ADD, token=token)
        outcome = added["data"]["addResult"]
        assert outcome["status"] == "SUBMITTED"
        assert outcome["credentialCode"] == "CN-PRESCHOOL-TEACHER"
        assert outcome["learner"]["id"] == learner["id"]

        async def case_opened() -> bool:
            found = await gql(cert, CASE, {"id": outcome["id"]}, token)
            return found["data"]["_entities"][0]["certification"] is not None

        await eventually(case_opened)
        case = (await gql(cert, CASE, {"id": outcome["id"]}, token))["data"]["_entities"][0]
        calendar = cert.runtime.deps.calendar
        today = calendar.day_of(datetime.now(UTC))
        assert case["certification"]["status"] == "PENDING"
        assert case["certification"]["submittedOn"] == today.isoformat()
        due = calendar.due_on(today)
        assert case["certification"]["dueOn"] == due.isoformat()
        assert case["certification"]["overdue"] is False
        assert case["certification"]["history"] == [{"status": "PENDING", "note": "submitted"}]
