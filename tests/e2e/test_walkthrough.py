"""The README's walk-through, told by `docs/story.sh` (what `make story` runs) against a
fresh system with the demo catalog, as a new user would paste it: what they see at the
key steps."""

import asyncio
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from cbkit.testing import RunningSystem

STORY = Path(__file__).parents[2] / "docs" / "story.sh"


async def run(*command: str, env: dict[str, str], within: float) -> str:
    """Run `command`; its output (stdout and stderr as one), which must end well."""
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await asyncio.wait_for(process.communicate(), within)
    text = output.decode()
    assert process.returncode == 0, text
    return text


def answers_by_field(output: str) -> dict[str, list[dict[str, Any]]]:
    """The GraphQL answers printed, in order, under the root field each one answers."""
    found: dict[str, list[dict[str, Any]]] = {}
    for line in output.splitlines():
        try:
            answer = json.loads(line)
        except ValueError:
            continue
        if isinstance(answer, dict) and answer.get("errors"):
            found.setdefault(answer["errors"][0]["path"][0], []).append(answer)
        elif isinstance(answer, dict) and answer.get("data"):
            found.setdefault(next(iter(answer["data"])), []).append(answer)
    return found


def feed_types(output: str) -> list[str]:
    prefix = "feed: "
    lines = [line.removeprefix(prefix) for line in output.splitlines() if line.startswith(prefix)]
    return [json.loads(line)["type"] for line in lines]


@pytest.mark.timeout(240)
async def test_the_readme_walk_through_runs_as_written(running_system: RunningSystem):
    await run(
        sys.executable, "-m", "services.conversion", "seed", env=running_system.env, within=60
    )
    output = await run(
        "bash",
        str(STORY),
        env={
            **os.environ,
            "GATEWAY": running_system.url("gateway"),
            "PY": sys.executable,
            "ADMIN_EMAIL": running_system.env["CB_ADMIN_EMAIL"],
            "ADMIN_PASSWORD": running_system.env["CB_ADMIN_PASSWORD"],
        },
        within=180,
    )
    answers = answers_by_field(output)

    # The catalog found by a Chinese word, and named in Chinese.
    [search] = answers["searchCatalog"]
    first = search["data"]["searchCatalog"][0]
    assert (first["code"], first["name"]) == ("CN-KINDERGARTEN-PRINCIPAL", "幼儿园园长资格证")

    # Her principal certificate's credits, explained in Chinese.
    explained = [a for a in answers["outcome"] if "conversions" in a["data"]["outcome"]]
    [conversion] = explained[-1]["data"]["outcome"]["conversions"]
    assert conversion["course"]["name"] == "教研工作管理"
    assert "幼儿园园长资格证" in conversion["explanation"]
    assert "教研工作管理" in conversion["explanation"]

    # Her archive (`python -m zipfile -l`): every service's records and her two files.
    listed = {line.split()[0] for line in output.splitlines() if line.strip()}
    for name in ("accounts.json", "outcomes.json", "certification.json", "conversion.json"):
        assert name in listed
    files = sorted(name.rsplit("/", 1)[-1] for name in listed if name.startswith("evidence/"))
    assert files == ["principal-certificate.pdf", "teacher-certificate.pdf"]

    # Her transcript: both courses credited, 2.5 for the teacher's certificate, and the
    # programme certificate awarded.
    her_id, transcript = answers["me"]
    assert her_id["data"]["me"]["displayName"] == "Li Na"
    me = transcript["data"]["me"]
    credited = sorted(
        (conversion["course"]["name"], conversion["credits"])
        for outcome in me["outcomes"]
        for conversion in outcome["conversions"]
    )
    assert credited == [
        ("Children's game activity design and organization", "2.5"),
        ("Teaching and research work management", "3.0"),
    ]
    assert me["balance"] == {"available": "5.5", "earned": "5.5"}
    [certificate] = me["certificates"]
    assert certificate["program"]["name"] == (
        "Certificate in Kindergarten Management and Play-based Teaching"
    )

    # The university's feed client saw her approvals, conversions and the award, the award last.
    types = feed_types(output)
    assert Counter(types) == {
        "certification.approved": 2,
        "credits.converted": 2,
        "certificate.awarded": 1,
    }
    assert types[-1] == "certificate.awarded"

    # One redemption, then the second refused with its reason.
    redeemed, again = answers["redeemCredits"]
    assert redeemed["data"]["redeemCredits"]["credits"] == "2.5"
    [refusal] = again["errors"]
    assert refusal["message"] == "the credits for course PE-CGADO were already redeemed"
    assert refusal["extensions"]["code"] == "CONFLICT"

    # She revokes the consent: the university read her account before, and is refused after.
    [revoked] = answers["revokeConsent"]
    assert revoked["data"]["revokeConsent"]["active"] is False
    read, refused = answers["account"]
    assert read["data"]["account"]["displayName"] == "Li Na"
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
