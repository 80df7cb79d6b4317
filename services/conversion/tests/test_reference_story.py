"""The reference story: a kindergarten teacher's two certificates become course
credits of the Preschool Education major, and together a certificate."""

import uuid

from cbkit.auth import Role
from cbkit.envelope import Event
from cbkit.testing import eventually
from services.conversion.demo import load_demo_catalog
from services.conversion.tests.conftest import approved, gql

CATALOG = """{ majors { code name courses { code name credits } }
  credentialTypes { code name }
  certificatePrograms { code requiredCourses { name } minCredits }
  previewConversion(credentialCode: "cn-preschool-teacher") { credits course { name } } }"""
ACCOUNT = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}]) {
  ... on Account {
    conversions { id credits status expiresOn outcome { id } learner { id }
      course { code name major { name } } rule { credentialCode creditValidityYears } }
    certificates { serial flagged program { code name } awardedAt } } } }"""


async def test_both_preschool_certificates_convert_and_earn_the_programme(
    service, bus, stack
) -> None:
    async with service.runtime.pool.acquire() as conn:
        await load_demo_catalog(conn)
        await load_demo_catalog(conn)  # idempotent: make run calls it on every start

    catalog = (await gql(service, CATALOG))["data"]
    preschool = next(m for m in catalog["majors"] if m["name"] == "Preschool Education")
    assert sorted(c["name"] for c in preschool["courses"]) == [
        "Children's game activity design and organization",
        "Teaching and research work management",
    ]
    codes = {t["code"] for t in catalog["credentialTypes"]}
    assert {"CN-KINDERGARTEN-PRINCIPAL", "CN-PRESCHOOL-TEACHER"} <= codes
    assert len([m for m in catalog["majors"] if m["name"] == "Preschool Education"]) == 1
    assert catalog["previewConversion"] == [
        {"credits": "2.5", "course": {"name": "Children's game activity design and organization"}}
    ]
    program = next(p for p in catalog["certificatePrograms"] if p["code"].startswith("PE-"))
    assert len(program["requiredCourses"]) == 2

    learner = str(uuid.uuid4())
    token = stack.token(learner, Role.LEARNER)
    principal = approved(learner, "CN-KINDERGARTEN-PRINCIPAL", achieved_on="2023-03-01")
    await bus.send(principal)

    async def converted(n: int) -> bool:
        found = await gql(service, ACCOUNT, {"id": learner}, token)
        return len(found["data"]["_entities"][0]["conversions"]) == n

    await eventually(lambda: converted(1))
    account = (await gql(service, ACCOUNT, {"id": learner}, token))["data"]["_entities"][0]
    assert account["certificates"] == []  # one of two courses is not enough

    await bus.send(approved(learner, "cn-preschool-teacher", achieved_on="2022-09-10"))
    await eventually(lambda: converted(2))
    account = (await gql(service, ACCOUNT, {"id": learner}, token))["data"]["_entities"][0]
    by_course = {c["course"]["name"]: c for c in account["conversions"]}
    management = by_course["Teaching and research work management"]
    assert management["credits"] == "3.0"
    assert management["status"] == "ACTIVE"
    assert management["outcome"]["id"] == principal.data["outcomeId"]
    assert management["course"]["major"]["name"] == "Preschool Education"
    assert management["rule"] == {
        "credentialCode": "CN-KINDERGARTEN-PRINCIPAL",
        "creditValidityYears": 5,
    }
    assert management["expiresOn"] is not None
    game = by_course["Children's game activity design and organization"]
    assert game["credits"] == "2.5"

    [certificate] = account["certificates"]
    assert certificate["program"]["code"] == "PE-KINDERGARTEN-MANAGEMENT"
    assert certificate["serial"].startswith("CB-")
    assert certificate["flagged"] is False

    async def published() -> bool:
        return (
            len(bus.of("credits.converted", learner)) == 2
            and len(bus.of("certificate.awarded", learner)) == 1
        )

    await eventually(published)
    sent = {e["courseCode"]: e for e in bus.of("credits.converted", learner)}
    assert sent["PE-TRWM"]["credits"] == "3.0"
    assert sent["PE-TRWM"]["majorCode"] == "PRESCHOOL-EDU"
    assert sent["PE-TRWM"]["conversionId"] == management["id"]
    assert sent["PE-TRWM"]["outcomeId"] == principal.data["outcomeId"]
    assert sent["PE-TRWM"]["expiresOn"] == management["expiresOn"]
    assert bus.of("certificate.awarded", learner)[0]["serial"] == certificate["serial"]


async def test_an_institution_sees_conversions_only_under_consent(service, bus, stack) -> None:
    learner, institution = str(uuid.uuid4()), str(uuid.uuid4())
    async with service.runtime.pool.acquire() as conn:
        await load_demo_catalog(conn)
    await bus.send(approved(learner, "CN-PRESCHOOL-TEACHER"))
    learner_token = stack.token(learner, Role.LEARNER)

    async def converted() -> bool:
        found = await gql(service, ACCOUNT, {"id": learner}, learner_token)
        return len(found["data"]["_entities"][0]["conversions"]) == 1

    await eventually(converted)
    university = stack.token(institution, Role.INSTITUTION)
    refused = await gql(service, ACCOUNT, {"id": learner}, university)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    other_learner = await gql(
        service, ACCOUNT, {"id": learner}, stack.token(institution, Role.LEARNER)
    )
    assert other_learner["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    consent = {"consentId": str(uuid.uuid4()), "learnerId": learner, "institutionId": institution}
    await bus.send(
        Event(
            "consent.granted",
            "/services/accounts",
            learner,
            {**consent, "grantedAt": "2025-01-01T00:00:00Z", "expiresAt": "2099-01-01T00:00:00Z"},
        )
    )

    async def visible() -> bool:
        return "errors" not in await gql(service, ACCOUNT, {"id": learner}, university)

    await eventually(visible)
    await bus.send(
        Event(
            "consent.revoked",
            "/services/accounts",
            learner,
            {**consent, "revokedAt": "2025-02-01T00:00:00Z"},
        )
    )

    async def hidden() -> bool:
        return "errors" in await gql(service, ACCOUNT, {"id": learner}, university)

    await eventually(hidden)
