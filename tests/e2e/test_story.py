"""The reference story (Chongqing Academic Credit Bank), through the gateway only:
HTTP for queries, mutations and evidence files, WebSocket for credit events."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from cbkit.testing import RunningSystem, Subscription, eventually
from tests.e2e import reference

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"
CATALOG = [
    'upsertMajor(code: "PRESCHOOL-EDU", name: "Preschool Education") { code }',
    'upsertCourse(code: "PE-TRWM", name: "Teaching and research work management",'
    ' credits: "3.0", majorCode: "PRESCHOOL-EDU") { code }',
    'upsertCourse(code: "PE-CGADO", name: "Children\'s game activity design and organization",'
    ' credits: "2.5", majorCode: "PRESCHOOL-EDU") { code }',
    'upsertCredentialType(code: "CN-KINDERGARTEN-PRINCIPAL", name: "Kindergarten principal'
    ' qualification certificate", authority: "Chongqing Municipal Education Commission") { code }',
    'upsertCredentialType(code: "CN-PRESCHOOL-TEACHER", name: "Preschool teacher qualification'
    ' certificate", authority: "Ministry of Education") { code }',
    "upsertConversionRule("
    ' credentialCode: "CN-KINDERGARTEN-PRINCIPAL", courseCode: "PE-TRWM", credits: "3.0",'
    ' validFrom: "2015-01-01") { id }',
    "upsertConversionRule("
    ' credentialCode: "CN-PRESCHOOL-TEACHER", courseCode: "PE-CGADO", credits: "2.5",'
    ' validFrom: "2015-01-01") { id }',
    'upsertCertificateProgram(code: "PE-KINDERGARTEN-MANAGEMENT", name: "Kindergarten'
    ' management", requiredCourseCodes: ["PE-TRWM", "PE-CGADO"]) { code }',
]
FEED = "subscription { creditEvents { cursor type learnerId data } }"
CASE = "query($id: ID!) { outcome(id: $id) { status certification { id status } } }"
TRANSCRIPT = """{ me { balance { available redeemed earned }
  outcomes { title status conversions { course { code name } credits status } }
  certificates { serial program { code } } } }"""


class Client:
    def __init__(self, system: RunningSystem, http: httpx.AsyncClient) -> None:
        self.system = system
        self.http = http

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            self.system.gateway,
            json={"query": query, "variables": variables or {}},
            headers=headers,
        )
        return response.json()

    async def ok(self, query: str, variables: dict | None = None, token: str | None = None) -> dict:
        body = await self.gql(query, variables, token)
        assert "errors" not in body, body
        return body["data"]

    async def login(self, email: str, password: str) -> tuple[str, str]:
        data = await self.ok(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p)"
            " { token account { id } } }",
            {"e": email, "p": password},
        )
        return data["login"]["token"], data["login"]["account"]["id"]

    async def upload(self, token: str, name: str) -> str:
        response = await self.http.post(
            f"{self.system.url('gateway')}/evidence",
            files={"file": (f"{name}.pdf", PDF + name.encode(), "application/pdf")},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 201, response.text
        return response.json()["id"]


async def next_events(feed: Subscription, count: int) -> list[dict]:
    return [(await feed.next(within=20))["data"]["creditEvents"] for _ in range(count)]


@pytest.mark.timeout(180)
async def test_the_kindergarten_teachers_story(running_system: RunningSystem):
    tag = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(timeout=30) as http:
        c = Client(running_system, http)

        # 1. An admin sets up the catalog, a reviewer and a university.
        admin, _ = await c.login("admin@test.creditbank.local", "admin-test-password")
        for mutation in CATALOG:
            await c.ok(f"mutation {{ {mutation} }}", token=admin)
        staff = {}
        for role, name in (
            ("REVIEWER", "Reviewer Gao"),
            ("INSTITUTION", "Chongqing Normal University"),
        ):
            email = f"{role.lower()}.{tag}@example.org"
            await c.ok(
                "mutation($r: Role!, $e: String!, $n: String!) { createStaffAccount(role: $r,"
                ' email: $e, password: "staff-password-1", displayName: $n) { id } }',
                {"r": role, "e": email, "n": name},
                admin,
            )
            staff[role] = await c.login(email, "staff-password-1")
        reviewer, _ = staff["REVIEWER"]
        university, university_id = staff["INSTITUTION"]

        # 2. A kindergarten teacher opens an account, uploads two certificates, adds two results.
        opened = await c.ok(
            'mutation($e: String!) { openAccount(email: $e, password: "teacher-password-1",'
            ' displayName: "Li Na") { token account { id } } }',
            {"e": f"li.na.{tag}@example.org"},
        )
        teacher = opened["openAccount"]["token"]
        teacher_id = opened["openAccount"]["account"]["id"]
        results = {}
        for code, title in (
            ("CN-KINDERGARTEN-PRINCIPAL", "Kindergarten principal qualification certificate"),
            ("CN-PRESCHOOL-TEACHER", "Preschool teacher qualification certificate"),
        ):
            evidence = await c.upload(teacher, f"{code}-{tag}")
            added = await c.ok(
                "mutation($i: AddResultInput!) { addResult(input: $i) { id status } }",
                {"i": reference.certificate(code, title, evidence)},
                teacher,
            )
            assert added["addResult"]["status"] == "SUBMITTED"
            results[code] = added["addResult"]["id"]

        # 3. With her consent, the university follows her credit events.
        expires = (datetime.now(UTC) + timedelta(days=180)).isoformat()
        consent = await c.ok(
            "mutation($i: ID!, $x: DateTime!) { grantConsent(institutionId: $i, expiresAt: $x)"
            " { id active } }",
            {"i": university_id, "x": expires},
            teacher,
        )
        assert consent["grantConsent"]["active"] is True
        async with (
            Subscription(running_system.gateway, university) as university_feed,
            Subscription(running_system.gateway, teacher) as own_feed,
        ):
            await university_feed.subscribe(FEED)
            await own_feed.subscribe(FEED)

            async def case_of(code: str, learner: str = teacher) -> dict:
                async def opened() -> bool:
                    found = await c.gql(CASE, {"id": results[code]}, learner)
                    return bool(found.get("data", {}).get("outcome", {}).get("certification"))

                await eventually(opened, within=20)
                return (await c.ok(CASE, {"id": results[code]}, learner))["outcome"]

            async def decide(
                code: str, decision: str, reason: str | None = None, learner: str = teacher
            ) -> None:
                case_id = (await case_of(code, learner))["certification"]["id"]
                await c.ok(
                    "mutation($id: ID!) { claimCertification(id: $id) { id } }",
                    {"id": case_id},
                    reviewer,
                )
                await c.ok(
                    "mutation($id: ID!, $d: Decision!, $r: String, $v: String) {"
                    " decideCertification(id: $id, decision: $d, reason: $r,"
                    " verifiedCredentialCode: $v) { status } }",
                    {
                        "id": case_id,
                        "d": decision,
                        "r": reason,
                        "v": code if decision == "APPROVE" else None,
                    },
                    reviewer,
                )

            # 4. One certificate approved; more information asked on the other, given, approved.
            await decide("CN-KINDERGARTEN-PRINCIPAL", "APPROVE")
            first = await next_events(university_feed, 2)
            assert [e["type"] for e in first] == ["certification.approved", "credits.converted"]
            assert first[1]["data"]["courseCode"] == "PE-TRWM"

            await decide("CN-PRESCHOOL-TEACHER", "REQUEST_INFO", "the scan is unreadable")
            [asked] = await next_events(university_feed, 1)
            assert asked["type"] == "certification.info_requested"

            async def needs_info() -> bool:
                return (await case_of("CN-PRESCHOOL-TEACHER"))["status"] == "NEEDS_INFO"

            await eventually(needs_info, within=20)
            sharper = await c.upload(teacher, f"sharper-scan-{tag}")
            await c.ok(
                "mutation($id: ID!, $e: [ID!]) { resubmitResult(id: $id,"
                ' note: "a sharper scan", evidenceIds: $e) { status } }',
                {"id": results["CN-PRESCHOOL-TEACHER"], "e": [sharper]},
                teacher,
            )

            async def reopened() -> bool:
                case = await case_of("CN-PRESCHOOL-TEACHER")
                return case["certification"]["status"] == "PENDING"

            await eventually(reopened, within=20)
            await decide("CN-PRESCHOOL-TEACHER", "APPROVE")
            rest = await next_events(university_feed, 3)
            assert [e["type"] for e in rest] == [
                "certification.approved",
                "credits.converted",
                "certificate.awarded",
            ]
            assert {e["learnerId"] for e in [*first, asked, *rest]} == {teacher_id}

            # 5. She sees both courses credited, her balance and the certificate.
            transcript = (await c.ok(TRANSCRIPT, token=teacher))["me"]
            credited = sorted(
                (conversion["course"]["code"], conversion["credits"])
                for outcome in transcript["outcomes"]
                for conversion in outcome["conversions"]
            )
            assert credited == [("PE-CGADO", "2.5"), ("PE-TRWM", "3.0")]
            assert {o["status"] for o in transcript["outcomes"]} == {"CERTIFIED"}
            assert transcript["balance"] == {"available": "5.5", "redeemed": "0.0", "earned": "5.5"}
            [certificate] = transcript["certificates"]
            assert certificate["program"]["code"] == "PE-KINDERGARTEN-MANAGEMENT"

            # 6. The university, which offers the course, redeems its credits; a second
            # redemption is refused.
            await c.ok(
                "mutation($i: ID!, $c: String!) { setInstitutionProfile(institutionId: $i,"
                ' code: $c, nameZh: "重庆师范大学", nameEn: "Chongqing Normal University",'
                ' city: "Chongqing") { code } }',
                {"i": university_id, "c": f"CQNU-{tag.upper()}"},
                admin,
            )
            await c.ok(
                'mutation { setCoursesOffered(courseCodes: ["PE-TRWM"]) { code } }',
                token=university,
            )
            redeem = (
                'mutation($l: ID!) { redeemCredits(learnerId: $l, courseCode: "PE-TRWM")'
                " { credits courseCode } }"
            )
            redeemed = await c.ok(redeem, {"l": teacher_id}, university)
            assert redeemed["redeemCredits"] == {"credits": "3.0", "courseCode": "PE-TRWM"}
            again = await c.gql(redeem, {"l": teacher_id}, university)
            assert "already redeemed" in again["errors"][0]["message"]
            balance = await c.ok("{ me { balance { available redeemed } } }", token=teacher)
            assert balance["me"]["balance"] == {"available": "2.5", "redeemed": "3.0"}
            [redemption] = await next_events(university_feed, 1)
            assert redemption["type"] == "credits.redeemed"

            # 7. She revokes consent: no more transcript, no more of her events for the university.
            await c.ok(
                "mutation($id: ID!) { revokeConsent(consentId: $id) { active } }",
                {"id": consent["grantConsent"]["id"]},
                teacher,
            )
            refused = await c.gql(
                "query($id: ID!) { account(id: $id) { displayName } }",
                {"id": teacher_id},
                university,
            )
            assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
            conversions = await c.ok("{ me { conversions { id course { code } } } }", token=teacher)
            cgado = next(
                x for x in conversions["me"]["conversions"] if x["course"]["code"] == "PE-CGADO"
            )
            await c.ok(
                'mutation($id: ID!) { revokeConversion(id: $id, reason: "issuer withdrew it")'
                " { status } }",
                {"id": cgado["id"]},
                admin,
            )
            own = [e["type"] for e in await next_events(own_feed, 8)]
            assert own[-1] == "credits.revoked"

            # 8. Another learner who consents has a result rejected after that: the
            # university's next event is hers, so none of Li Na's came before it.
            other = await c.ok(
                'mutation($e: String!) { openAccount(email: $e, password: "learner-password-1",'
                ' displayName: "Zhang Wei") { token account { id } } }',
                {"e": f"zhang.wei.{tag}@example.org"},
            )
            other_token = other["openAccount"]["token"]
            await c.ok(
                "mutation($i: ID!, $x: DateTime!) { grantConsent(institutionId: $i, expiresAt: $x)"
                " { id } }",
                {"i": university_id, "x": expires},
                other_token,
            )
            added = await c.ok(
                'mutation { addResult(input: {kind: WORK_EXPERIENCE, title: "Kindergarten'
                ' assistant", issuer: "Sunshine Kindergarten", achievedOn: "2025-03-01",'
                " hours: 40, evidenceIds: []}) { id } }",
                token=other_token,
            )
            results["WORK_EXPERIENCE"] = added["addResult"]["id"]
            await decide("WORK_EXPERIENCE", "REJECT", "no employer's letter", other_token)
            [marker] = await next_events(university_feed, 1)
            assert (marker["type"], marker["learnerId"]) == (
                "certification.rejected",
                other["openAccount"]["account"]["id"],
            )
