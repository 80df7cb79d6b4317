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

from cbkit.testing import eventually, gql

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


async def must(
    client: httpx.AsyncClient,
    url: str,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> dict[str, Any]:
    """The data of an operation that must succeed (SeedError when it does not)."""
    body = await gql(client, query, variables, token, path=url)
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


CERTIFICATES = {
    "principal": ("QUALIFICATION_CERTIFICATE", "Kindergarten principal qualification",
                  "CN-KINDERGARTEN-PRINCIPAL"),
    "teacher": ("QUALIFICATION_CERTIFICATE", "Preschool teacher qualification",
                "CN-PRESCHOOL-TEACHER"),
    "rejected": ("ONLINE_COURSE", "Early childhood nutrition MOOC", None),
}  # fmt: skip
"""Results the learner adds with an uploaded certificate: kind, title, credential code."""
DECISIONS = (
    ("principal", "APPROVE", None, "CN-KINDERGARTEN-PRINCIPAL"),
    ("teacher", "APPROVE", None, "CN-PRESCHOOL-TEACHER"),
    ("rejected", "REJECT", "the course has no assessment", None),
)
"""The reviewer's decisions: result, decision, reason, verified credential code."""


def work_experience(title: str, issuer: str, achieved_on: str, hours: int) -> dict[str, Any]:
    return {
        "input": {"kind": "WORK_EXPERIENCE", "title": title, "issuer": issuer,
                  "achievedOn": achieved_on, "hours": hours, "evidenceIds": []}
    }  # fmt: skip


async def seed_world(gateway: str, outcomes_url: str, tag: str = "") -> World:
    """Seed the reference story (emails made unique by `tag`) and wait until it settles."""
    world = World(gateway)
    async with httpx.AsyncClient(timeout=30) as client:
        seeding = _Seeding(world, client, outcomes_url, tag)
        await seeding.people()
        await seeding.results()
        await seeding.reviews()
        await seeding.settled()
    return world


@dataclass
class _Seeding:
    """The story's steps, each through the gateway (uploads straight to outcomes)."""

    world: World
    client: httpx.AsyncClient
    outcomes_url: str
    tag: str

    async def ask(
        self, query: str, variables: dict[str, Any] | None = None, who: str | None = None
    ) -> dict[str, Any]:
        token = self.world.tokens[who] if who else None
        return await must(self.client, self.world.gateway, query, variables, token)

    async def people(self) -> None:
        """The admin and the catalog, a reviewer and an institution, two learners."""
        tokens, ids = self.world.tokens, self.world.ids
        admin = await self.ask(LOGIN, {"e": ADMIN[0], "p": ADMIN[1]})
        tokens["admin"] = admin["login"]["token"]
        for mutation in CATALOG:
            await self.ask(mutation, who="admin")
        for role, name in (("REVIEWER", "Zhou Min"), ("INSTITUTION", "Chongqing Open University")):
            email = f"{role.lower()}{self.tag}@example.org"
            staff = {"r": role, "e": email, "p": PASSWORD, "n": name}
            created = await self.ask(STAFF, staff, "admin")
            ids[role.lower()] = created["createStaffAccount"]["id"]
            signed_in = await self.ask(LOGIN, {"e": email, "p": PASSWORD})
            tokens[role.lower()] = signed_in["login"]["token"]
        for who, name in (("learner", "Li Na"), ("other", "Wang Fang")):
            email = f"{re.sub(r'[^a-z]', '.', name.lower())}{self.tag}@example.org"
            opened = await self.ask(OPEN, {"e": email, "p": PASSWORD, "n": name})
            tokens[who] = opened["openAccount"]["token"]
            ids[who] = opened["openAccount"]["account"]["id"]

    async def results(self) -> None:
        """Three certificates with their evidence, a pending work experience, another's."""
        ids = self.world.ids
        for key, (kind, title, code) in CERTIFICATES.items():
            token = self.world.tokens["learner"]
            evidence = await upload_evidence(self.client, self.outcomes_url, token, key)
            ids[f"evidence_{key}"] = evidence
            result = {"kind": kind, "title": title, "issuer": "Chongqing education board",
                      "credentialCode": code, "achievedOn": "2023-07-01",
                      "evidenceIds": [evidence]}  # fmt: skip
            ids[key] = await self.add_result({"input": result}, "learner")
        assistant = work_experience(
            "Kindergarten teaching assistant", "Sunshine Kindergarten", "2024-06-30", 800
        )
        ids["pending"] = await self.add_result(assistant, "learner")
        volunteer = work_experience("Library volunteer", "City library", "2024-01-10", 100)
        ids["other_result"] = await self.add_result(volunteer, "other")

    async def add_result(self, variables: dict[str, Any], who: str) -> str:
        added = await self.ask(ADD, variables, who)
        result_id: str = added["addResult"]["id"]
        return result_id

    async def reviews(self) -> None:
        """Once the cases are open: the reviewer claims and decides three of them."""
        ids = self.world.ids
        reviewed = ("principal", "teacher", "rejected", "pending")
        wanted = {ids[key] for key in reviewed}
        cases: dict[str, str] = {}

        async def cases_opened() -> bool:
            queue = await self.ask(QUEUE, who="reviewer")
            cases.update({c["outcome"]["id"]: c["id"] for c in queue["reviewQueue"]})
            return wanted <= set(cases)

        await eventually(cases_opened, within=30)
        for key in reviewed:
            ids[f"case_{key}"] = cases[ids[key]]
        for key, decision, reason, code in DECISIONS:
            case_id = ids[f"case_{key}"]
            await self.ask(CLAIM, {"id": case_id}, "reviewer")
            verdict = {"id": case_id, "d": decision, "r": reason, "c": code}
            await self.ask(DECIDE, verdict, "reviewer")

    async def settled(self) -> None:
        """The learner's consent to the institution; then until both courses are converted."""
        expires = (datetime.now(UTC) + timedelta(days=365)).isoformat()
        await self.ask(GRANT, {"i": self.world.ids["institution"], "x": expires}, "learner")
        token, gateway = self.world.tokens["learner"], self.world.gateway

        async def converted() -> bool:
            me = (await gql(self.client, SETTLED, token=token, path=gateway))["data"]["me"]
            conversions = sum(len(o["conversions"]) for o in me["outcomes"])
            return (
                conversions == 2 and bool(me["certificates"]) and me["balance"]["available"] != "0"
            )

        await eventually(converted, within=45)


def with_subgraph_urls(supergraph_sdl: str, urls: dict[str, str]) -> str:
    """The supergraph with its join__graph URLs replaced (name -> URL)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return f'@join__graph(name: "{name}", url: "{urls.get(name, match.group(2))}")'

    return re.sub(r'@join__graph\(name: "([^"]+)", url: "([^"]+)"\)', replace, supergraph_sdl)


def write_supergraph(path: Path, supergraph_sdl: str, urls: dict[str, str]) -> Path:
    path.write_text(with_subgraph_urls(supergraph_sdl, urls))
    return path
