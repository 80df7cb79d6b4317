"""The example credentials in docs/credentials/ stay true: Digital Bazaar's verifier,
run offline on the committed files by the commands docs/credentials/README.md shows,
prints the outputs shown there (the certificate, the transcript and the status list
verified; a changed one not), and the documents are valid by 1EdTech's JSON Schemas.
`python -m tests.credentials.examples` makes them anew from a running system."""

from __future__ import annotations

import json
import re

import pytest

from cbkit.vc import did_web
from services.conversion.tests.test_credentials_documents import CLR, OB, errors
from tests.credentials.examples import EXAMPLE_PUBLIC_URL, EXAMPLES, README, Step, run, steps

STEPS = steps(README.read_text())


def example(name: str) -> dict:
    document: dict = json.loads((EXAMPLES / name).read_text())
    return document


def test_the_readme_shows_a_verdict_for_each_example():
    verdicts = [json.loads(step.output) for step in STEPS]
    assert [v["verified"] for v in verdicts] == [True, True, True, False]
    assert verdicts[-1]["errors"] == ["Invalid signature."]
    commands = " ".join(step.command for step in STEPS)
    for name in ("certificate.json", "transcript.json", "status-list.json", "did.json"):
        assert f"docs/credentials/{name}" in commands


def named(step: Step) -> str:
    shown = re.search(r"docs/credentials/([\w-]+)\.json", step.command)
    name = shown[1] if shown else "?"
    return f"changed {name}" if step.command.startswith("sed") else name


@pytest.mark.parametrize("step", STEPS, ids=named)
def test_the_verifier_prints_what_the_readme_shows(step):
    assert run(step.command) == step.output


def test_the_examples_are_what_the_bank_issues():
    issuer = did_web(EXAMPLE_PUBLIC_URL)
    certificate, transcript = example("certificate.json"), example("transcript.json")
    status_list, did = example("status-list.json"), example("did.json")
    assert did["id"] == issuer
    assert certificate["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert transcript["type"] == ["VerifiableCredential", "ClrCredential"]
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    for document in (certificate, transcript, status_list):
        assert document["proof"]["verificationMethod"] in did["assertionMethod"]
        issued_by = document["issuer"]
        assert (issued_by if isinstance(issued_by, str) else issued_by["id"]) == issuer
    for document in (certificate, transcript):
        assert document["credentialStatus"]["statusListCredential"] == status_list["id"]
    assert certificate["id"].startswith(f"{EXAMPLE_PUBLIC_URL}/credentials/")
    assert errors(OB, certificate) == []
    assert errors(CLR, transcript) == []
