"""`python -m tests.credentials.examples`: the example credentials in docs/credentials/,
made by the running system, and the third-party verifier's output on each.

It starts a throwaway system (every service and the gateway, as the tests do: its own
databases, queues and a credential key generated for this run and then lost, so only
its public key, in did.json, is ever written down), tells the reference story
(tests/credentials/story.py) and writes what the bank issued: `certificate.json` (the
teacher's OB 3.0 certificate, as its share link gives it), `transcript.json` (her CLR 2.0
transcript), `status-list.json` (the status list both point into) and `did.json` (the
issuer's DID document, as the gateway serves it). The public address is
EXAMPLE_PUBLIC_URL, a reserved example domain, so the issuer reads
`did:web:creditbank.example` and not a random loopback port.

Then it runs every command of docs/credentials/README.md's "Verified offline" section
and writes each one's output under it; tests/credentials/test_examples.py runs the same
commands on the committed files and expects the same outputs."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from cbkit.testing import RunningSystem, TestStack
from tests.credentials import story

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "docs" / "credentials"
README = EXAMPLES / "README.md"
EXAMPLE_PUBLIC_URL = "https://creditbank.example"
SECTION = "## Verified offline"
_STEP = re.compile(r"```sh\n(?P<command>.*?)```\n+```json\n(?P<output>.*?)```\n", re.DOTALL)


@dataclass(frozen=True)
class Step:
    """A command of the README's section and the output written under it."""

    command: str
    output: str
    start: int
    end: int
    """Where the output sits in the README's text."""


def steps(readme: str) -> list[Step]:
    """The ```sh blocks of the "Verified offline" section, each followed by its ```json
    output block."""
    start = readme.index(SECTION)
    following = readme.find("\n## ", start + len(SECTION))
    end = len(readme) if following < 0 else following
    return [
        Step(m["command"], m["output"], m.start("output"), m.end("output"))
        for m in _STEP.finditer(readme, start, end)
    ]


def run(command: str) -> str:
    """What `command` prints, run by bash from the repository's root."""
    done = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout


def write_json(path: Path, document: dict[str, Any]) -> None:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


async def issue() -> dict[str, dict[str, Any]]:
    """The documents, by file name, from a throwaway system that told the story."""
    with tempfile.TemporaryDirectory() as keys:
        stack = TestStack(Path(keys) / "jwks.json")
        system = RunningSystem(stack, namespace="examples")
        system.env["CB_PUBLIC_URL"] = EXAMPLE_PUBLIC_URL
        try:
            await system.start()
            async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=60) as http:
                told = await story.tell(
                    http, system.env["CB_ADMIN_EMAIL"], system.env["CB_ADMIN_PASSWORD"]
                )
                mine = await story.ok(
                    http,
                    "{ me { transcriptCredential certificates { credentialUrl } } }",
                    token=told.teacher,
                )
                [certificate] = mine["me"]["certificates"]
                documents = {
                    "certificate.json": await fetched(http, certificate["credentialUrl"]),
                    "transcript.json": mine["me"]["transcriptCredential"],
                    "did.json": await fetched(http, f"{EXAMPLE_PUBLIC_URL}/.well-known/did.json"),
                }
                status = documents["certificate.json"]["credentialStatus"]
                documents["status-list.json"] = await fetched(http, status["statusListCredential"])
        finally:
            await system.stop()
            await stack.cleanup()
    return documents


async def fetched(http: httpx.AsyncClient, url: str) -> dict[str, Any]:
    """GET `url`, an address under the public one, from the gateway `http` talks to."""
    assert url.startswith(f"{EXAMPLE_PUBLIC_URL}/"), url
    response = await http.get(url.removeprefix(EXAMPLE_PUBLIC_URL))
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    return document


def main() -> None:
    documents = asyncio.run(issue())
    for name, document in documents.items():
        write_json(EXAMPLES / name, document)
        print(f"wrote {(EXAMPLES / name).relative_to(ROOT)}")
    readme = README.read_text()
    outputs = []
    for step in steps(readme):
        outputs.append(run(step.command))
        print(f"$ {step.command.strip()}\n{outputs[-1]}", end="")
    for step, output in reversed(list(zip(steps(readme), outputs, strict=True))):
        readme = readme[: step.start] + output + readme[step.end :]
    README.write_text(readme)
    print(f"wrote {README.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
