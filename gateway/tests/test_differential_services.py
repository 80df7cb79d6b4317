"""Our gateway against Apollo Gateway on the REAL services (running_system): same data,
same error paths, for a corpus of operations over the reference story's records."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.tests.harness import GatewayPair
from gateway.tests.world import World

OUTCOME_FIELDS = "id kind title issuer credentialCode achievedOn hours status submittedAt"
TRANSCRIPT = f"""query Transcript {{
  me {{
    id displayName email role createdAt
    balance {{ available redeemed expired earned }}
    outcomes {{
      {OUTCOME_FIELDS}
      evidence {{ id filename contentType size sha256 }}
      certification {{ status submittedOn dueOn decidedAt reason verifiedCredentialCode
        workingDaysLeft overdue reviewer {{ id displayName }} history {{ status note }} }}
      conversions {{ credits status expiresOn course {{ code name credits major {{ code name }} }}
        rule {{ credentialCode credits }} }}
    }}
    certificates {{ serial flagged flagReason program {{ code name
      requiredCourses {{ code name }} }} }}
  }}
}}"""

# name -> (who asks, query, variables); "@key" in variables stands for world.ids[key]
Case = tuple[str | None, str, dict[str, Any] | None]
CASES: dict[str, Case] = {
    # --- transcript and balance
    "the reference story's transcript": ("learner", TRANSCRIPT, None),
    "balance": ("learner", "{ me { balance { available earned redeemed expired } } }", None),
    "ledger": (
        "learner",
        "{ me { ledger(first: 10) { entries { kind credits courseCode conversionId note "
        "institution { id } } nextCursor } } }",
        None,
    ),
    "ledger pages of one, with a variable": (
        "learner",
        "query($n: Int) { me { ledger(first: $n) { entries { kind credits } nextCursor } } }",
        {"n": 1},
    ),
    "ledger with a bad page size: error below me": (
        "learner",
        "{ me { displayName ledger(first: 0) { nextCursor } } }",
        None,
    ),
    "consents of the learner": (
        "learner",
        "{ me { consents { active learner { displayName } institution { displayName role } } } }",
        None,
    ),
    # --- deep entity jumps
    "me -> outcomes -> certification -> reviewer": (
        "learner",
        "{ me { outcomes { title certification { status reviewer { id displayName } } } } }",
        None,
    ),
    "me -> outcomes -> conversions -> course -> major": (
        "learner",
        "{ me { outcomes { title conversions { credits course { code name major { code name "
        "courses { code credits } } } } } } }",
        None,
    ),
    "certification -> outcome -> learner -> balance (round trip over 3 subgraphs)": (
        "learner",
        "{ me { outcomes { certification { outcome { title learner { displayName "
        "balance { available } } } } } } }",
        None,
    ),
    "conversion -> outcome -> certification -> history -> by": (
        "learner",
        "{ me { conversions { credits outcome { title certification { history { status note "
        "by { id } } } } } } }",
        None,
    ),
    "certificates -> program -> requiredCourses -> major -> courses": (
        "learner",
        "{ me { certificates { serial learner { displayName } program { name "
        "requiredCourses { code major { name courses { code } } } } } } }",
        None,
    ),
    "outcome by id with every subgraph's fields": (
        "learner",
        "query($id: ID!) { outcome(id: $id) { title learner { displayName outcomes { title } } "
        "certification { status } conversions { credits } conversionRefusals { reason } } }",
        {"id": "@principal"},
    ),
    "a pending outcome: null certification fields, empty conversions": (
        "learner",
        "query($id: ID!) { outcome(id: $id) { title hours certification { status decidedAt "
        "reason reviewer { id } } conversions { id } } }",
        {"id": "@pending"},
    ),
    "a rejected outcome: reason, no conversions": (
        "learner",
        "query($id: ID!) { outcome(id: $id) { status certification { status reason } "
        "conversions { id } } }",
        {"id": "@rejected"},
    ),
    "outcomes filtered by status argument": (
        "learner",
        "{ me { certified: outcomes(status: CERTIFIED) { title } "
        "submitted: outcomes(status: SUBMITTED) { title } } }",
        None,
    ),
    # --- review queue
    "review queue": (
        "reviewer",
        "{ reviewQueue { status dueOn overdue outcome { title kind learner { displayName } } } }",
        None,
    ),
    "review queue of decided cases, with reviewer and history": (
        "reviewer",
        "query($s: CertificationStatus) { reviewQueue(status: $s) { status reviewer { "
        "displayName } history { status by { displayName } } outcome { title credentialCode "
        "evidence { filename size } } } }",
        {"s": "APPROVED"},
    ),
    "review queue with a limit and overdue only": (
        "admin",
        "{ reviewQueue(limit: 1) { id } overdue: reviewQueue(overdueOnly: true) { id } }",
        None,
    ),
    "review queue asked by a learner: refused": ("learner", "{ reviewQueue { id } }", None),
    "review queue asked anonymously: refused": (None, "{ reviewQueue { id } }", None),
    # --- catalog (public)
    "catalog": (
        None,
        "{ majors { code name credentialCreditCap courses { code name credits } } "
        "credentialTypes { code name authority } conversionCaps { annualCredits } }",
        None,
    ),
    "conversion rules with course and major": (
        None,
        "{ conversionRules { credentialCode outcomeKind minHours credits validFrom validUntil "
        "creditValidityYears allowPartial course { code major { code } } } }",
        None,
    ),
    "conversion rules filtered by variables": (
        None,
        "query($c: String, $m: String) { conversionRules(credentialCode: $c, majorCode: $m) "
        "{ credits course { name } } }",
        {"c": "cn-preschool-teacher", "m": "preschool-edu"},
    ),
    "preview a conversion": (
        None,
        'query($c: String! = "CN-KINDERGARTEN-PRINCIPAL") { previewConversion(credentialCode: $c)'
        " { credits course { code name } } }",
        None,
    ),
    "certificate programmes": (
        None,
        "{ certificatePrograms { code name minCredits requiredCourses { code credits } } }",
        None,
    ),
    # --- aliases, fragments, variables, skip/include, typename
    "aliases across subgraphs": (
        "learner",
        "{ who: me { name: displayName money: balance { now: available } results: outcomes "
        "{ t: title c: certification { s: status } } } catalog: majors { c: code } }",
        None,
    ),
    "named and inline fragments over entity jumps": (
        "learner",
        "query { me { ...Person outcomes { ...Result ... on Outcome { certification "
        "{ ...Case } } } } } fragment Person on Account { displayName balance { available } } "
        "fragment Result on Outcome { title status } "
        "fragment Case on Certification { status reviewer { ...Person } }",
        None,
    ),
    "the same field through two fragments, merged": (
        "learner",
        "{ me { outcomes { ... on Outcome { certification { status } } certification "
        "{ dueOn } } } }",
        None,
    ),
    "skip and include with variables": (
        "learner",
        "query($full: Boolean!, $lean: Boolean!) { me { displayName balance @include(if: $full) "
        "{ available } outcomes { title certification @skip(if: $lean) { status } "
        "conversions @include(if: $lean) { credits } } } }",
        {"full": False, "lean": True},
    ),
    "skip on a fragment spread and an inline fragment": (
        "learner",
        "query($no: Boolean = true) { me { ...B @skip(if: $no) ... @include(if: true) "
        "{ displayName } } } fragment B on Account { balance { available } }",
        None,
    ),
    "typename in every subgraph": (
        "learner",
        "{ __typename me { __typename outcomes { __typename certification { __typename } "
        "conversions { __typename course { __typename } } } } }",
        None,
    ),
    "operation name chooses one of several": (
        "learner",
        "query A { me { id } } query B { me { displayName } }",
        None,
    ),
    # --- other roles and consent
    "institution reads a consenting learner's transcript": (
        "institution",
        "query($id: ID!) { account(id: $id) { displayName balance { available } outcomes "
        "{ title certification { status } conversions { credits course { code } } } "
        "certificates { serial } } }",
        {"id": "@learner"},
    ),
    "institution reads a learner without consent: refused": (
        "institution",
        "query($id: ID!) { account(id: $id) { displayName } }",
        {"id": "@other"},
    ),
    "admin reads any learner": (
        "admin",
        "query($a: ID!, $b: ID!) { a: account(id: $a) { email outcomes { title } } "
        "b: account(id: $b) { email outcomes { title conversions { id } } } }",
        {"a": "@learner", "b": "@other"},
    ),
    # --- errors and nulls at several depths, unauthorized fields
    "anonymous me is null": (None, "{ me { id displayName } }", None),
    "anonymous asks for an outcome: refused at the root": (
        None,
        "query($id: ID!) { outcome(id: $id) { title } }",
        {"id": "@principal"},
    ),
    "another learner's outcome: refused, other root fields kept": (
        "other",
        "query($id: ID!) { outcome(id: $id) { title } majors { code } }",
        {"id": "@principal"},
    ),
    "an unknown outcome": (
        "learner",
        'query { outcome(id: "00000000-0000-0000-0000-000000000000") { title } }',
        None,
    ),
    "another learner's account: unauthorized fields inside": (
        "other",
        "query($id: ID!) { account(id: $id) { id email balance { available } } }",
        {"id": "@learner"},
    ),
    "reviewer sees a learner's name through the queue but not the email (non-null)": (
        "reviewer",
        "{ reviewQueue(status: APPROVED) { id outcome { title learner { displayName email } } } }",
        None,
    ),
    "reviewer reads conversions of a case's outcome: refused deep in a list": (
        "reviewer",
        "{ reviewQueue(status: APPROVED) { status outcome { title conversions { credits } "
        "learner { certificates { serial } } } } }",
        None,
    ),
    "institution reads a certification reviewer's email: refused two jumps deep": (
        "institution",
        "query($id: ID!) { account(id: $id) { outcomes { title certification { status "
        "reviewer { displayName email } } } } }",
        {"id": "@learner"},
    ),
    "a reviewer's own role and the public catalog": (
        "reviewer",
        "query { me { role } majors { name } }",
        None,
    ),
    "introspection of the public schema": (
        None,
        '{ __type(name: "Outcome") { name fields { name type { name kind ofType { name } } } } '
        "__schema { queryType { name } mutationType { name } } }",
        None,
    ),
    # --- mutations
    "a mutation refused for a learner (admin only)": (
        "learner",
        'mutation { upsertMajor(code: "X-NOPE", name: "Nope") { code } }',
        None,
    ),
    "a mutation answered with entity jumps": (
        "admin",
        'mutation { upsertMajor(code: "PRESCHOOL-EDU", name: "Preschool Education", '
        'credentialCreditCap: "24") { code courses { code major { name } } } }',
        None,
    ),
    "a mutation with bad input: refusal naming the field": (
        "learner",
        'mutation { addResult(input: {kind: QUALIFICATION_CERTIFICATE, title: "No evidence", '
        'issuer: "Nobody", achievedOn: "2024-01-01", evidenceIds: []}) { id } }',
        None,
    ),
}


def resolve(variables: dict[str, Any] | None, world: World) -> dict[str, Any] | None:
    if variables is None:
        return None
    return {
        name: world.ids[value[1:]] if isinstance(value, str) and value.startswith("@") else value
        for name, value in variables.items()
    }


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", list(CASES))
async def test_same_answer_as_apollo_gateway(
    name: str, system_gateways: GatewayPair, world: World
) -> None:
    who, query, variables = CASES[name]
    await system_gateways.assert_same(query, resolve(variables, world), world.auth(who))


async def test_operation_name_selects_the_operation(
    system_gateways: GatewayPair, world: World
) -> None:
    query = "query A { me { id } } query B { me { displayName } }"
    headers = {"apollo-require-preflight": "true", **world.auth("learner")}
    for url in (system_gateways.ours, system_gateways.apollo):
        payload = {"query": query, "operationName": "B"}
        response = await system_gateways.client.post(url, json=payload, headers=headers)
        assert response.json()["data"] == {"me": {"displayName": "Li Na"}}
