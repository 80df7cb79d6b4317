"""The reference story: a kindergarten teacher's two certificates become course
credits of the Preschool Education major, and together a certificate."""

from datetime import UTC, datetime

from cbkit.auth import Role
from cbkit.testing import error_code, eventually, gql, handled, new_id
from services.conversion.adapters.seed import load_demo_catalog
from services.conversion.tests.conftest import account_view, consent_to, learner

CATALOG = """{ majors { code name courses { code name credits } }
  credentialTypes { code name }
  certificatePrograms { code requiredCourses { name } minCredits }
  previewConversion(credentialCode: "cn-preschool-teacher") { credits course { name } } }"""
ACCOUNT = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}]) {
  ... on Account {
    conversions { id credits status expiresOn outcome { id } learner { id }
      course { code name major { name } } rule { credentialCode creditValidityYears } }
    certificates { serial flagged program { code name } awardedAt } } } }"""


async def seed(conversion) -> None:
    async with conversion.runtime.pool.acquire() as conn:
        await load_demo_catalog(conn)


async def test_the_demo_catalog_loads_once_however_often_it_is_loaded(conversion) -> None:
    await seed(conversion)
    await seed(conversion)  # make run loads it on every start

    catalog = (await gql(conversion, CATALOG))["data"]
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


async def test_both_preschool_certificates_convert_and_earn_the_programme(
    conversion, bus, stack
) -> None:
    await seed(conversion)
    teacher, token = learner(stack)
    principal = await bus.approve(teacher, "CN-KINDERGARTEN-PRINCIPAL", achieved_on="2023-03-01")
    await handled(conversion, principal)
    account = await account_view(conversion, ACCOUNT, teacher, token)
    assert len(account["conversions"]) == 1
    assert account["certificates"] == []  # one of two courses is not enough

    teaching = await bus.approve(teacher, "cn-preschool-teacher", achieved_on="2022-09-10")
    await handled(conversion, teaching)
    account = await account_view(conversion, ACCOUNT, teacher, token)
    assert len(account["conversions"]) == 2
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
            len(bus.of("credits.converted", teacher)) == 2
            and len(bus.of("certificate.awarded", teacher)) == 1
        )

    await eventually(published)
    sent = {e["courseCode"]: e for e in bus.of("credits.converted", teacher)}
    assert sent["PE-TRWM"]["credits"] == "3.0"
    assert sent["PE-TRWM"]["majorCode"] == "PRESCHOOL-EDU"
    assert sent["PE-TRWM"]["conversionId"] == management["id"]
    assert sent["PE-TRWM"]["outcomeId"] == principal.data["outcomeId"]
    assert sent["PE-TRWM"]["expiresOn"] == management["expiresOn"]
    assert bus.of("certificate.awarded", teacher)[0]["serial"] == certificate["serial"]


async def test_an_institution_sees_conversions_only_under_consent(conversion, bus, stack) -> None:
    await seed(conversion)
    student, learner_token = learner(stack)
    institution = new_id()
    await handled(conversion, await bus.approve(student, "CN-PRESCHOOL-TEACHER"))
    assert (
        len((await account_view(conversion, ACCOUNT, student, learner_token))["conversions"]) == 1
    )

    university = stack.token(institution, Role.INSTITUTION)
    refused = await gql(conversion, ACCOUNT, {"id": student}, university)
    assert error_code(refused)[0] == "FORBIDDEN"
    as_learner = stack.token(institution, Role.LEARNER)
    other_learner = await gql(conversion, ACCOUNT, {"id": student}, as_learner)
    assert error_code(other_learner)[0] == "FORBIDDEN"

    consent = consent_to(student, institution)
    await handled(conversion, await bus.grant(consent, datetime(2099, 1, 1, tzinfo=UTC)))
    seen = await account_view(conversion, ACCOUNT, student, university)
    assert [c["course"]["code"] for c in seen["conversions"]] == ["PE-CGADO"]

    await handled(conversion, await bus.revoke(consent, datetime(2025, 2, 1, tzinfo=UTC)))
    hidden = await gql(conversion, ACCOUNT, {"id": student}, university)
    assert error_code(hidden)[0] == "FORBIDDEN"
