"""A populated Credit Bank, seeded through the gateway's public API only.

The reference story: an admin keeps the catalog and creates a reviewer and an
institution; Li Na opens an account, uploads two certificates and adds them as
results (plus a work experience still pending and a result that is rejected); the
reviewer approves the certificates; conversion grants credits for both courses,
which completes a certificate programme; accounts' ledger and balance follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from cbkit.testing import eventually

ADMIN = ("admin@test.creditbank.local", "admin-test-password")
PASSWORD = "a-long-enough-password"
PDF = b"%PDF-1.4\n% Credit Bank test certificate\n" + b"0" * 2048 + b"\n%%EOF\n"


class SeedError(AssertionError):
    """A seeding step did not give what the story needs."""


@dataclass
class World:
    """Who is who and what was made, for the corpus to ask about."""

    gateway: str
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    def auth(self, who: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}


async def gql(
    client: httpx.AsyncClient,
    url: str,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        url, json={"query": query, "variables": variables or {}}, headers=headers
    )
    body: dict[str, Any] = response.json()
    return body


async def must(
    client: httpx.AsyncClient,
    url: str,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> dict[str, Any]:
    body = await gql(client, url, query, variables, token)
    if body.get("errors") or not body.get("data"):
        raise SeedError(f"{query.split('(')[0].strip()} failed: {body}")
    data: dict[str, Any] = body["data"]
    return data


LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"
OPEN = """mutation($e: String!, $p: String!, $n: String!) {
  openAccount(email: $e, password: $p, displayName: $n) { token account { id } } }"""
STAFF = """mutation($r: Role!, $e: String!, $p: String!, $n: String!) {
  createStaffAccount(role: $r, email: $e, password: $p, displayName: $n) { id } }"""
CATALOG = [
    """mutation { upsertMajor(code: "PRESCHOOL-EDU", name: "Preschool Education",
       credentialCreditCap: "24") { code } }""",
    """mutation { upsertCourse(code: "PE-TRWM", name: "Teaching and research work management",
       credits: "3.0", majorCode: "PRESCHOOL-EDU") { code } }""",
    """mutation { upsertCourse(code: "PE-CGADO",
       name: "Children's game activity design and organization", credits: "2.5",
       majorCode: "PRESCHOOL-EDU") { code } }""",
    """mutation { upsertCredentialType(code: "CN-KINDERGARTEN-PRINCIPAL",
       name: "Kindergarten principal qualification certificate",
       authority: "Chongqing Municipal Education Commission") { code } }""",
    """mutation { upsertCredentialType(code: "CN-PRESCHOOL-TEACHER",
       name: "Preschool teacher qualification certificate",
       authority: "Ministry of Education of the People's Republic of China") { code } }""",
    """mutation { upsertConversionRule(credentialCode: "CN-KINDERGARTEN-PRINCIPAL",
       courseCode: "PE-TRWM", credits: "3.0", validFrom: "2015-01-01",
       creditValidityYears: 5) { id } }""",
    """mutation { upsertConversionRule(credentialCode: "CN-PRESCHOOL-TEACHER",
       courseCode: "PE-CGADO", credits: "2.5", validFrom: "2015-01-01",
       creditValidityYears: 5) { id } }""",
    """mutation { upsertCertificateProgram(code: "PE-KINDERGARTEN-MANAGEMENT",
       name: "Certificate in Kindergarten Management and Play-based Teaching",
       requiredCourseCodes: ["PE-TRWM", "PE-CGADO"]) { code } }""",
    """mutation { setConversionCaps(annualCredits: "42") { annualCredits } }""",
]
ADD = """mutation($input: AddResultInput!) { addResult(input: $input) { id } }"""
QUEUE = "{ reviewQueue { id outcome { id } } }"
CLAIM = "mutation($id: ID!) { claimCertification(id: $id) { id status } }"
DECIDE = """mutation($id: ID!, $d: Decision!, $r: String, $c: String) {
  decideCertification(id: $id, decision: $d, reason: $r, verifiedCredentialCode: $c) { status } }"""
GRANT = """mutation($i: ID!, $x: DateTime!) { grantConsent(institutionId: $i, expiresAt: $x)
  { id } }"""
SETTLED = """{ me { balance { available } certificates { serial }
  outcomes { id conversions { id } } } }"""


async def upload_evidence(
    client: httpx.AsyncClient, outcomes_url: str, token: str, name: str
) -> str:
    response = await client.post(
        f"{outcomes_url}/evidence",
        files={"file": (f"{name}.pdf", PDF + name.encode(), "application/pdf")},
        headers={"Authorization": f"Bearer {token}"},
    )
    if response.status_code != 201:
        raise SeedError(f"upload of {name} answered {response.status_code}: {response.text}")
    evidence_id: str = response.json()["id"]
    return evidence_id


async def seed_world(gateway: str, outcomes_url: str, tag: str = "") -> World:
    """Seed the reference story (emails made unique by `tag`) and wait until it settles."""
    world = World(gateway)
    async with httpx.AsyncClient(timeout=30) as client:

        async def q(query: str, variables: dict[str, Any] | None = None, who: str | None = None):
            token = world.tokens[who] if who else None
            return await must(client, gateway, query, variables, token)

        admin = await q(LOGIN, {"e": ADMIN[0], "p": ADMIN[1]})
        world.tokens["admin"] = admin["login"]["token"]
        for mutation in CATALOG:
            await q(mutation, who="admin")
        for role, name in (("REVIEWER", "Zhou Min"), ("INSTITUTION", "Chongqing Open University")):
            email = f"{role.lower()}{tag}@example.org"
            created = await q(STAFF, {"r": role, "e": email, "p": PASSWORD, "n": name}, "admin")
            world.ids[role.lower()] = created["createStaffAccount"]["id"]
            signed_in = await q(LOGIN, {"e": email, "p": PASSWORD})
            world.tokens[role.lower()] = signed_in["login"]["token"]
        for who, name in (("learner", "Li Na"), ("other", "Wang Fang")):
            email = f"{re.sub(r'[^a-z]', '.', name.lower())}{tag}@example.org"
            opened = await q(OPEN, {"e": email, "p": PASSWORD, "n": name})
            world.tokens[who] = opened["openAccount"]["token"]
            world.ids[who] = opened["openAccount"]["account"]["id"]

        results = {
            "principal": ("QUALIFICATION_CERTIFICATE", "Kindergarten principal qualification",
                          "CN-KINDERGARTEN-PRINCIPAL"),
            "teacher": ("QUALIFICATION_CERTIFICATE", "Preschool teacher qualification",
                        "CN-PRESCHOOL-TEACHER"),
            "rejected": ("ONLINE_COURSE", "Early childhood nutrition MOOC", None),
        }  # fmt: skip
        for key, (kind, title, code) in results.items():
            evidence = await upload_evidence(client, outcomes_url, world.tokens["learner"], key)
            world.ids[f"evidence_{key}"] = evidence
            added = await q(
                ADD,
                {"input": {"kind": kind, "title": title, "issuer": "Chongqing education board",
                           "credentialCode": code, "achievedOn": "2023-07-01",
                           "evidenceIds": [evidence]}},
                "learner",
            )  # fmt: skip
            world.ids[key] = added["addResult"]["id"]
        pending = await q(
            ADD,
            {"input": {"kind": "WORK_EXPERIENCE", "title": "Kindergarten teaching assistant",
                       "issuer": "Sunshine Kindergarten", "achievedOn": "2024-06-30",
                       "hours": 800, "evidenceIds": []}},
            "learner",
        )  # fmt: skip
        world.ids["pending"] = pending["addResult"]["id"]
        other = await q(
            ADD,
            {"input": {"kind": "WORK_EXPERIENCE", "title": "Library volunteer",
                       "issuer": "City library", "achievedOn": "2024-01-10", "hours": 100,
                       "evidenceIds": []}},
            "other",
        )  # fmt: skip
        world.ids["other_result"] = other["addResult"]["id"]

        wanted = {world.ids[k] for k in ("principal", "teacher", "rejected", "pending")}
        cases: dict[str, str] = {}

        async def cases_opened() -> bool:
            queue = await q(QUEUE, who="reviewer")
            cases.update({c["outcome"]["id"]: c["id"] for c in queue["reviewQueue"]})
            return wanted <= set(cases)

        await eventually(cases_opened, within=30)
        for key in ("principal", "teacher", "rejected", "pending"):
            world.ids[f"case_{key}"] = cases[world.ids[key]]
        for key, decision, reason, code in (
            ("principal", "APPROVE", None, "CN-KINDERGARTEN-PRINCIPAL"),
            ("teacher", "APPROVE", None, "CN-PRESCHOOL-TEACHER"),
            ("rejected", "REJECT", "the course has no assessment", None),
        ):
            case_id = world.ids[f"case_{key}"]
            await q(CLAIM, {"id": case_id}, "reviewer")
            await q(DECIDE, {"id": case_id, "d": decision, "r": reason, "c": code}, "reviewer")
        expires = (datetime.now(UTC) + timedelta(days=365)).isoformat()
        await q(GRANT, {"i": world.ids["institution"], "x": expires}, "learner")

        async def settled() -> bool:
            me = (await gql(client, gateway, SETTLED, token=world.tokens["learner"]))["data"]["me"]
            converted = sum(len(o["conversions"]) for o in me["outcomes"])
            return converted == 2 and bool(me["certificates"]) and me["balance"]["available"] != "0"

        await eventually(settled, within=45)
    return world


def with_subgraph_urls(supergraph_sdl: str, urls: dict[str, str]) -> str:
    """The supergraph with its join__graph URLs replaced (name -> URL)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return f'@join__graph(name: "{name}", url: "{urls.get(name, match.group(2))}")'

    return re.sub(r'@join__graph\(name: "([^"]+)", url: "([^"]+)"\)', replace, supergraph_sdl)


def write_supergraph(path: Path, supergraph_sdl: str, urls: dict[str, str]) -> Path:
    path.write_text(with_subgraph_urls(supergraph_sdl, urls))
    return path
