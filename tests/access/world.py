"""The world the matrix asks about, seeded through the gateway's API as users would.

Li Na (the learner) consents to three institutions: one consent stays active, one she
revokes at once, one expires a few seconds after it is granted. Then she adds four
results with evidence; one reviewer claims and decides all four (two approved
certificates earn credits and a programme certificate, an approval of a certificate
achieved before the rule was valid is refused a conversion, a course is rejected
with a reason), so she has no case waiting in the queue and the other reviewer has no
case for her. Every service meets her revocation before the events the seeding waits
for. Wang Fang (another learner) consents to all three institutions; the other
reviewer rejects her result last, which puts a marker in the credit feed after
everything Li Na's feed holds.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from cbkit.testing import RunningSystem, eventually, gql
from gateway.tests.world import (
    ADD,
    ADMIN,
    CLAIM,
    DECIDE,
    GRANT,
    LOGIN,
    OPEN,
    PASSWORD,
    QUEUE,
    STAFF,
    SeedError,
    must,
    upload_evidence,
    work_experience,
)
from tests.access.matrix import Caller

REVOKE = "mutation($c: ID!) { revokeConsent(consentId: $c) { id } }"
PROFILE = """mutation($i: ID!, $c: String!) { setInstitutionProfile(institutionId: $i, code: $c,
  nameZh: "重庆开放大学", nameEn: "Chongqing Open University", city: "Chongqing") { code } }"""
OFFER = 'mutation { setCoursesOffered(courseCodes: ["PE-TRWM"]) { code } }'
REDEEM = """mutation($l: ID!) { redeemCredits(learnerId: $l, courseCode: "PE-TRWM") { id } }"""
SETTLED = """{ me { certificates { serial } ledger { entries { id } }
  outcomes { status conversions { id } conversionRefusals { reason } } } }"""
INSTANCES = "{ me { id outcomes { id certification { id } conversions { id } } } }"
EXPIRES_AFTER = timedelta(seconds=5)
STAFF_ROLES = {
    Caller.REVIEWER: "REVIEWER",
    Caller.OTHER_REVIEWER: "REVIEWER",
    Caller.INSTITUTION: "INSTITUTION",
    Caller.REVOKED_INSTITUTION: "INSTITUTION",
    Caller.EXPIRED_INSTITUTION: "INSTITUTION",
}
RESULTS = {
    "principal": ("QUALIFICATION_CERTIFICATE", "CN-KINDERGARTEN-PRINCIPAL", "2024-06-30"),
    "teacher": ("QUALIFICATION_CERTIFICATE", "CN-PRESCHOOL-TEACHER", "2024-06-30"),
    "before the rule": ("QUALIFICATION_CERTIFICATE", "CN-KINDERGARTEN-PRINCIPAL", "2014-06-30"),
    "mooc": ("ONLINE_COURSE", None, "2024-01-15"),
}
"""Li Na's results: kind, credential code, day achieved; each with a certificate file."""


@dataclass
class World:
    tokens: dict[Caller, str | None] = field(default_factory=lambda: {Caller.ANONYMOUS: None})
    ids: dict[Caller, str] = field(default_factory=dict)
    values: dict[str, str] = field(
        default_factory=lambda: {"feed_start": "cf:0", "handed_in": "a credential, or not"}
    )
    """Argument values of the walk (see walk.ARGUMENTS)."""
    instances: dict[str, list[str]] = field(default_factory=dict)
    """Per entity type, the keys of the learner's instances (the catalog's for its types)."""

    @property
    def learner(self) -> str:
        return self.ids[Caller.LEARNER]

    @property
    def marker_learner(self) -> str:
        return self.ids[Caller.OTHER_LEARNER]


async def seed_world(system: RunningSystem) -> World:
    await _demo_catalog(system)
    async with httpx.AsyncClient(timeout=30) as client:
        seeding = _Seeding(World(), client, system)
        await seeding.people()
        expires = await seeding.consents()
        results = await seeding.results()
        await seeding.reviews(results)
        await seeding.settled()
        await asyncio.sleep(max(0.0, (expires - datetime.now(UTC)).total_seconds() + 0.5))
        await seeding.marker()
        await seeding.instances()
    return seeding.world


async def _demo_catalog(system: RunningSystem) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.conversion", "seed", env=system.env
    )
    if await asyncio.wait_for(process.wait(), 60) != 0:
        raise SeedError("the demo catalog did not load")


@dataclass
class _Seeding:
    world: World
    client: httpx.AsyncClient
    system: RunningSystem
    marker_result: str = ""

    async def ask(
        self, query: str, variables: dict[str, Any] | None = None, who: Caller | None = None
    ) -> dict[str, Any]:
        token = self.world.tokens[who] if who else None
        return await must(self.client, self.system.gateway, query, variables, token)

    async def people(self) -> None:
        tag = uuid.uuid4().hex[:8]
        admin = await self.ask(LOGIN, {"e": ADMIN[0], "p": ADMIN[1]})
        self.world.tokens[Caller.ADMIN] = admin["login"]["token"]
        for caller, role in STAFF_ROLES.items():
            email = f"{caller.name.lower()}.{tag}@access.example.org"
            new = {"r": role, "e": email, "p": PASSWORD, "n": caller.value}
            created = await self.ask(STAFF, new, Caller.ADMIN)
            self.world.ids[caller] = created["createStaffAccount"]["id"]
            signed_in = await self.ask(LOGIN, {"e": email, "p": PASSWORD})
            self.world.tokens[caller] = signed_in["login"]["token"]
        await self.institution_profile(tag)
        for caller, name in ((Caller.LEARNER, "Li Na"), (Caller.OTHER_LEARNER, "Wang Fang")):
            email = f"{caller.name.lower()}.{tag}@access.example.org"
            opened = await self.ask(OPEN, {"e": email, "p": PASSWORD, "n": name})
            self.world.tokens[caller] = opened["openAccount"]["token"]
            self.world.ids[caller] = opened["openAccount"]["account"]["id"]
        self.world.values["learner"] = self.world.learner

    async def institution_profile(self, tag: str) -> None:
        """The institution with an active consent is in the directory and offers the
        course whose credits it redeems (once accounts has heard of the course)."""
        code = f"ACC-{tag.upper()}"
        profile = {"i": self.world.ids[Caller.INSTITUTION], "c": code}
        await self.ask(PROFILE, profile, Caller.ADMIN)

        async def offered() -> bool:
            token = self.world.tokens[Caller.INSTITUTION]
            answer = await gql(self.client, OFFER, token=token, path=self.system.gateway)
            return "errors" not in answer

        await eventually(offered, within=30)
        self.world.values["institution_code"] = code
        self.world.values["search_text"] = "园长"

    async def grant(self, learner: Caller, institution: Caller, expires: datetime) -> str:
        variables = {"i": self.world.ids[institution], "x": expires.isoformat()}
        granted = await self.ask(GRANT, variables, learner)
        consent_id: str = granted["grantConsent"]["id"]
        return consent_id

    async def consents(self) -> datetime:
        """Her three consents (one revoked at once) and the other learner's; when the
        expiring one expires."""
        later = datetime.now(UTC) + timedelta(days=300)
        institutions = (Caller.INSTITUTION, Caller.REVOKED_INSTITUTION, Caller.EXPIRED_INSTITUTION)
        for institution in institutions:
            await self.grant(Caller.OTHER_LEARNER, institution, later)
        await self.grant(Caller.LEARNER, Caller.INSTITUTION, later)
        revoked = await self.grant(Caller.LEARNER, Caller.REVOKED_INSTITUTION, later)
        await self.ask(REVOKE, {"c": revoked}, Caller.LEARNER)
        expires = datetime.now(UTC) + EXPIRES_AFTER
        await self.grant(Caller.LEARNER, Caller.EXPIRED_INSTITUTION, expires)
        return expires

    async def results(self) -> dict[str, str]:
        """Her four results with their files (name -> id), and the other learner's one."""
        ids: dict[str, str] = {}
        token = self.world.tokens[Caller.LEARNER]
        assert token is not None
        gateway = self.system.url("gateway")
        for name, (kind, code, day) in RESULTS.items():
            evidence = await upload_evidence(self.client, gateway, token, name.replace(" ", "-"))
            result = {
                "kind": kind,
                "title": f"Li Na's {name}",
                "issuer": "Chongqing",
                "credentialCode": code,
                "achievedOn": day,
                "evidenceIds": [evidence],
            }
            added = await self.ask(ADD, {"input": result}, Caller.LEARNER)
            ids[name] = added["addResult"]["id"]
        self.world.values["result"] = ids["principal"]
        self.world.values["credential"] = "CN-KINDERGARTEN-PRINCIPAL"
        volunteer = work_experience("Library volunteer", "City library", "2024-01-10", 100)
        added = await self.ask(ADD, volunteer, Caller.OTHER_LEARNER)
        self.marker_result = added["addResult"]["id"]
        # a case nobody decides: what the review queue's page shows every reviewer
        waiting = work_experience("Museum guide", "City museum", "2024-02-10", 80)
        await self.ask(ADD, waiting, Caller.OTHER_LEARNER)
        return ids

    async def cases(self, reviewer: Caller, results: set[str]) -> dict[str, str]:
        """Once the results' cases are in the reviewer's queue: result id -> case id."""
        cases: dict[str, str] = {}

        async def queued() -> bool:
            queue = await self.ask(QUEUE, who=reviewer)
            cases.update({c["outcome"]["id"]: c["id"] for c in queue["reviewQueue"]})
            return results <= set(cases)

        await eventually(queued, within=30)
        return cases

    async def decide(self, reviewer: Caller, case: str, decision: str, code: str | None) -> None:
        reason = "the course has no assessment" if decision == "REJECT" else None
        await self.ask(CLAIM, {"id": case}, reviewer)
        verdict = {"id": case, "d": decision, "r": reason, "c": code}
        await self.ask(DECIDE, verdict, reviewer)

    async def reviews(self, results: dict[str, str]) -> None:
        """The reviewer decides every one of her results."""
        cases = await self.cases(Caller.REVIEWER, set(results.values()))
        for name, result in results.items():
            code = RESULTS[name][1]
            await self.decide(Caller.REVIEWER, cases[result], "APPROVE" if code else "REJECT", code)

    async def settled(self) -> None:
        """Until every decision reached her results, both courses are credited, the early
        result is refused a conversion and the programme is awarded."""
        token, gateway = self.world.tokens[Caller.LEARNER], self.system.gateway

        async def converted() -> bool:
            me = (await gql(self.client, SETTLED, token=token, path=gateway))["data"]["me"]
            outcomes = me["outcomes"]
            return (
                sorted(o["status"] for o in outcomes) == ["CERTIFIED"] * 3 + ["REJECTED"]
                and sum(len(o["conversions"]) for o in outcomes) == 2
                and sum(len(o["conversionRefusals"]) for o in outcomes) == 1
                and len(me["certificates"]) == 1
                and len(me["ledger"]["entries"]) == 2
            )

        await eventually(converted, within=45)
        await self.ask(REDEEM, {"l": self.world.learner}, Caller.INSTITUTION)

    async def marker(self) -> None:
        """The other reviewer rejects the other learner's result: the feed's last event."""
        cases = await self.cases(Caller.OTHER_REVIEWER, {self.marker_result})
        await self.decide(Caller.OTHER_REVIEWER, cases[self.marker_result], "REJECT", None)

    async def instances(self) -> None:
        me = (await self.ask(INSTANCES, who=Caller.LEARNER))["me"]
        outcomes = me["outcomes"]
        self.world.instances = {
            "Account": [me["id"]],
            "Outcome": [o["id"] for o in outcomes],
            "Certification": [o["certification"]["id"] for o in outcomes],
            "Conversion": [c["id"] for o in outcomes for c in o["conversions"]],
            "Course": ["PE-TRWM", "PE-CGADO"],
            "Major": ["PRESCHOOL-EDU"],
            "Stats": ["bank"],
        }
