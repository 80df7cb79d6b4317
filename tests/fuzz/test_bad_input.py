"""What the first fuzz run found, kept: each input is refused as BAD_USER_INPUT naming
its argument, through the gateway as a client sends it and straight at the subgraph as
someone on the network could."""

import httpx
import pytest

from cbkit.auth import Role
from cbkit.testing import RunningSystem, TestStack, error_code, new_id

FOUND = [
    # (the subgraph answering, who asks, operation, variables, the argument named)
    ("conversion", None, '{ conversionRules(majorCode: "\\u0000") { id } }', {}, "majorCode"),
    (
        "conversion",
        "ADMIN",
        'mutation($n: String!) { upsertMajor(code: "M-1", name: $n) { code } }',
        {"n": "Nursing\x00"},
        "name",
    ),
    (
        "conversion",
        "ADMIN",
        'mutation { upsertCredentialType(code: "C\\u0000", name: "n", authority: "a") { code } }',
        {},
        "code",
    ),
    (
        "conversion",
        "ADMIN",
        'mutation { setConversionCaps(annualCredits: "1e1000000") { annualCredits } }',
        {},
        "annualCredits",
    ),
    (
        "conversion",
        "ADMIN",
        'mutation($c: Decimal!) { upsertCourse(code: "C-1", name: "n", credits: $c,'
        ' majorCode: "M-1") { code } }',
        {"c": "1e1000000"},
        "credits",
    ),
    (
        "conversion",
        "ADMIN",
        'mutation { upsertMajor(code: "M-1", name: "n", credentialCreditCap: "abc") { code } }',
        {},
        "credentialCreditCap",
    ),
    (
        "conversion",
        "ADMIN",
        "mutation($c: Decimal!) { setConversionCaps(annualCredits: $c) { annualCredits } }",
        {"c": "NaN"},
        "annualCredits",
    ),
    (
        "accounts",
        "LEARNER",
        'mutation { grantConsent(institutionId: "i", expiresAt: "2027-01-01T00:00:00") { id } }',
        {},
        "expiresAt",
    ),
    (
        "outcomes",
        "LEARNER",
        "mutation($i: AddResultInput!) { addResult(input: $i) { id } }",
        {
            "i": {
                "kind": "WORK_EXPERIENCE",
                "title": "Assistant",
                "issuer": "Sunshine",
                "achievedOn": "2025-02-30",
                "evidenceIds": [],
            }
        },
        "achievedOn",
    ),
]


@pytest.mark.parametrize("straight_at_the_subgraph", [False, True])
@pytest.mark.parametrize(("subgraph", "who", "operation", "variables", "argument"), FOUND)
async def test_bad_input_is_refused_as_the_clients_fault_naming_the_argument(
    fuzzed_system: RunningSystem,
    stack: TestStack,
    subgraph: str,
    who: str | None,
    operation: str,
    variables: dict,
    argument: str,
    straight_at_the_subgraph: bool,
) -> None:
    url = fuzzed_system.gateway
    if straight_at_the_subgraph:
        url = f"{fuzzed_system.url(subgraph)}/graphql"
    headers = {"Authorization": f"Bearer {stack.token(new_id(), Role(who))}"} if who else {}
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            url, json={"query": operation, "variables": variables}, headers=headers
        )
    answer = response.json()
    assert response.status_code < 500
    assert error_code(answer) == ("BAD_USER_INPUT", argument)
    assert answer["errors"][0]["message"].startswith(f"{argument} must ")
    assert len(answer["errors"]) == 1
