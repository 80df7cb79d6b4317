"""Every refusal names what is wrong, even when what was sent is empty."""

import httpx
import pytest

from cbkit.auth import Role
from cbkit.testing import RunningSystem, TestStack, error_code, new_id

EMPTY_IDS = [
    ("LEARNER", 'mutation { withdrawResult(id: "") { id } }', 'no result of yours with id ""'),
    (
        "LEARNER",
        'mutation { resubmitResult(id: "", note: "n") { id } }',
        'no result of yours with id ""',
    ),
    ("LEARNER", '{ outcome(id: "") { id } }', 'no result with id "" that you may see'),
    (
        "LEARNER",
        'mutation { revokeConsent(consentId: "") { id } }',
        'you have no consent with id ""',
    ),
    (
        "REVIEWER",
        'mutation { claimCertification(id: "") { id } }',
        'no certification case with id ""',
    ),
    (
        "ADMIN",
        'mutation { revokeConversion(id: "", reason: "r") { id } }',
        'no conversion with id ""',
    ),
]


@pytest.mark.parametrize(("role", "operation", "message"), EMPTY_IDS)
async def test_an_empty_id_is_refused_by_name(
    running_system: RunningSystem, stack: TestStack, role: str, operation: str, message: str
) -> None:
    token = stack.token(new_id(), Role(role))
    async with httpx.AsyncClient(timeout=10) as client:
        answer = (
            await client.post(
                running_system.gateway,
                json={"query": operation},
                headers={"Authorization": f"Bearer {token}"},
            )
        ).json()
    assert answer["errors"][0]["message"] == message
    field = "consentId" if "consentId" in operation else "id"
    assert error_code(answer) == ("NOT_FOUND", field)
    assert not any((answer["data"] or {}).values())
