"""The running system, through the gateway only."""

import httpx

from cbkit.testing import eventually


async def gql(url, query, variables=None, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            url, json={"query": query, "variables": variables or {}}, headers=headers
        )
    return response.json()


async def test_a_learner_adds_a_result_and_sees_its_case_through_the_gateway(running_system):
    url = running_system.gateway
    opened = await gql(
        url,
        """mutation { openAccount(email: "wang.fang@example.org",
        password: "a-long-password", displayName: "Wang Fang") { token account { id } } }""",
    )
    token = opened["data"]["openAccount"]["token"]
    added = await gql(
        url,
        """mutation { addResult(input: {kind: WORK_EXPERIENCE,
        title: "Kindergarten assistant", issuer: "Sunshine Kindergarten", achievedOn: "2025-03-01",
        hours: 40, evidenceIds: []}) { id status } }""",
        token=token,
    )
    outcome_id = added["data"]["addResult"]["id"]

    async def case_visible() -> bool:
        found = await gql(
            url,
            """query($id: ID!) { outcome(id: $id) { status
            certification { status dueOn } } }""",
            {"id": outcome_id},
            token=token,
        )
        return found.get("data", {}).get("outcome", {}).get("certification") is not None

    await eventually(case_visible, within=20)
    me = await gql(
        url, "{ me { displayName outcomes { title certification { status } } } }", token=token
    )
    assert me["data"]["me"] == {
        "displayName": "Wang Fang",
        "outcomes": [{"title": "Kindergarten assistant", "certification": {"status": "PENDING"}}],
    }
