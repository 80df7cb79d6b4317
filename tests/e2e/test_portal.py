"""The web portal in Chromium (web/e2e/*.spec.ts, Playwright): each spec run against a
fresh system whose gateway serves the build (web/dist, which `make test` builds first)
with the demo catalog; every Playwright test in it must pass, each page checked by axe and
saved as a screenshot under web/e2e/artifacts/."""

import asyncio
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from cbkit.testing import RunningSystem

WEB = Path(__file__).parents[2] / "web"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
SPECS = sorted(path.name for path in (WEB / "e2e").glob("*.spec.ts"))


async def run(*command: str, env: dict[str, str], cwd: Path, within: float) -> tuple[int, str]:
    """Run `command`: its exit status and output (stdout and stderr as one)."""
    process = await asyncio.create_subprocess_exec(
        *command, env=env, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), within)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    assert process.returncode is not None
    return process.returncode, output.decode(errors="replace")


def results(report: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """Every test of a Playwright JSON report: its title, its last status and its errors."""
    found: list[tuple[str, str, list[str]]] = []

    def walk(suite: dict[str, Any]) -> None:
        for spec in suite.get("specs", []):
            for test in spec["tests"]:
                last: dict[str, Any] = test["results"][-1] if test["results"] else {}
                errors = [ANSI.sub("", e.get("message", "")) for e in last.get("errors", [])]
                found.append((spec["title"], last.get("status", "not run"), errors))
        for child in suite.get("suites", []):
            walk(child)

    for suite in report.get("suites", []):
        walk(suite)
    return found


def declared(spec: str) -> int:
    """How many tests the spec declares (`test("…", …)` at the start of a line)."""
    return len(re.findall(r"^\s*test\(", (WEB / "e2e" / spec).read_text(), flags=re.M))


@pytest.fixture(scope="module")
async def seeded(running_system: RunningSystem) -> RunningSystem:
    code, output = await run(
        sys.executable,
        "-m",
        "services.conversion",
        "seed",
        env=running_system.env,
        cwd=WEB.parent,
        within=60,
    )
    assert code == 0, output
    return running_system


@pytest.mark.timeout(600)
@pytest.mark.parametrize("spec", SPECS)
async def test_the_portal_in_chromium(spec: str, seeded: RunningSystem, tmp_path: Path):
    assert (WEB / "dist" / "index.html").exists(), "the portal is not built: run `make web`"
    expected = declared(spec)
    assert expected > 0, f"{spec} declares no test"
    report_file = tmp_path / "report.json"
    code, output = await run(
        "npx",
        "playwright",
        "test",
        f"e2e/{spec}",
        env={
            **os.environ,
            "CB_PORTAL_URL": seeded.url("gateway"),
            "CB_ADMIN_EMAIL": seeded.env["CB_ADMIN_EMAIL"],
            "CB_ADMIN_PASSWORD": seeded.env["CB_ADMIN_PASSWORD"],
            "CB_E2E_REPORT": str(report_file),
        },
        cwd=WEB,
        within=540,
    )
    assert report_file.exists(), f"Playwright wrote no report (exit {code}):\n{output[-6000:]}"
    ran = results(json.loads(report_file.read_text()))
    failed = [(title, status, errors) for title, status, errors in ran if status != "passed"]
    shown = "\n\n".join(
        f"✗ {title} [{status}]\n" + "\n".join(error[:3000] for error in errors)
        for title, status, errors in failed
    )
    assert not failed, f"{len(failed)} of {len(ran)} failed in {spec}:\n{shown}"
    assert code == 0, output[-6000:]
    assert len(ran) >= expected, f"{spec}: {len(ran)} of its {expected} tests ran"
