"""`verifyCredential` (issue 16), public: anyone hands in a credential and learns
whether it holds, who issued it and its status in this bank's status lists, with the
reasons in the request's language. A certificate the bank issued verifies; changed,
it does not; once its conversion is revoked its status is REVOKED; a status list that
is not the bank's is UNCHECKED; malformed input is an answer, never a server error."""

import copy
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cbkit.testing import error_code, gql
from cbkit.vc import proof
from cbkit.vc.status import status_entry
from services.conversion.tests.conftest import account_view, credited_learner
from services.conversion.tests.test_credentials_issued import (
    CONVERSIONS,
    DID,
    REVOKE,
    certificate,
    transcript,
)

VERIFY = """query($credential: JSON!) { verifyCredential(credential: $credential) {
  verified proofValid issuer issuerName issuedByThisBank status validFrom validUntil
  types errors } }"""


async def verdict(conversion, credential: Any, language: str = "en") -> dict[str, Any]:
    """The verdict, asked anonymously in `language`."""
    found = await gql(
        conversion, VERIFY, {"credential": credential}, None, headers={"Accept-Language": language}
    )
    assert "errors" not in found, found
    answer: dict[str, Any] = found["data"]["verifyCredential"]
    return answer


def resigned(stack, document: dict[str, Any], change: Any) -> dict[str, Any]:
    """`document` changed and signed again with the bank's key (as only the bank can)."""
    unsigned = copy.deepcopy({k: v for k, v in document.items() if k != "proof"})
    change(unsigned)
    method = document["proof"]["verificationMethod"]
    return proof.sign(unsigned, stack.credential_key, method, datetime.now(UTC))


async def test_anyone_verifies_a_certificate_the_bank_issued(conversion, bus, admin, stack) -> None:
    credited = await credited_learner(conversion, bus, admin, stack)
    badge = (await certificate(conversion, credited, credited.token))["credential"]
    found = await verdict(conversion, badge)
    assert found == {
        "verified": True,
        "proofValid": True,
        "issuer": DID,
        "issuerName": "学分银行 / Credit Bank",
        "issuedByThisBank": True,
        "status": "ACTIVE",
        "validFrom": found["validFrom"],
        "validUntil": None,
        "types": ["VerifiableCredential", "OpenBadgeCredential"],
        "errors": [],
    }
    assert found["validFrom"].startswith(badge["validFrom"][:19])

    held = await transcript(conversion, credited.id, credited.token)
    on_transcript = await verdict(conversion, held)
    assert (on_transcript["verified"], on_transcript["status"]) == (True, "ACTIVE")
    assert on_transcript["types"] == ["VerifiableCredential", "ClrCredential"]

    changed = copy.deepcopy(badge)
    changed["credentialSubject"]["achievement"]["name"] += "!"
    refused = await verdict(conversion, changed, "zh")
    assert (refused["verified"], refused["proofValid"], refused["issuedByThisBank"]) == (
        False,
        False,
        False,
    )
    assert refused["errors"] == [
        f"签名与凭证内容及密钥 {badge['proof']['verificationMethod']} 不符"
    ]


async def test_a_revoked_certificate_is_revoked(conversion, bus, admin, stack) -> None:
    credited = await credited_learner(conversion, bus, admin, stack)
    badge = (await certificate(conversion, credited, credited.token))["credential"]
    found = await account_view(conversion, CONVERSIONS, credited.id, credited.token)
    [converted] = found["conversions"]
    assert "errors" not in await gql(conversion, REVOKE, {"id": converted["id"]}, admin)
    revoked = await verdict(conversion, badge)
    assert (revoked["verified"], revoked["proofValid"], revoked["status"]) == (
        False,
        True,
        "REVOKED",
    )
    assert revoked["errors"] == ["the issuer has revoked this credential"]
    assert (await verdict(conversion, badge, "zh"))["errors"] == ["签发者已撤销此凭证"]


async def test_a_status_list_not_the_banks_is_unchecked(conversion, bus, admin, stack) -> None:
    credited = await credited_learner(conversion, bus, admin, stack)
    badge = (await certificate(conversion, credited, credited.token))["credential"]
    elsewhere = "https://lists.example.org/status/1"

    def status_elsewhere(document: dict[str, Any]) -> None:
        document["credentialStatus"] = status_entry(elsewhere, 7)

    found = await verdict(conversion, resigned(stack, badge, status_elsewhere))
    assert (found["verified"], found["proofValid"], found["status"]) == (False, True, "UNCHECKED")
    assert found["errors"] == [
        f"the status list {elsewhere} (index 7) cannot be read, so whether the credential"
        " was revoked is unknown"
    ]

    def out_of_range(document: dict[str, Any]) -> None:
        entry = document["credentialStatus"]
        entry["statusListIndex"] = str(10**7)
        entry["id"] = f"{entry['statusListCredential']}#{10**7}"

    beyond = await verdict(conversion, resigned(stack, badge, out_of_range))
    assert (beyond["verified"], beyond["status"]) == (False, "UNCHECKED")


async def test_another_key_or_issuer_is_not_the_banks(conversion, bus, admin, stack) -> None:
    credited = await credited_learner(conversion, bus, admin, stack)
    badge = (await certificate(conversion, credited, credited.token))["credential"]
    unsigned = {k: v for k, v in badge.items() if k != "proof"}
    method = badge["proof"]["verificationMethod"]
    forged = proof.sign(unsigned, Ed25519PrivateKey.generate(), method, datetime.now(UTC))
    found = await verdict(conversion, forged)
    assert (found["verified"], found["issuedByThisBank"], found["issuer"]) == (False, False, DID)


async def test_malformed_input_is_an_answer_not_a_server_error(conversion) -> None:
    for credential, reason in [
        ("a string", "a credential is a JSON object"),
        ([1, 2], "a credential is a JSON object"),
        ({"proof": "z123"}, "proof must be an object with a type"),
        ({"@context": 5, "proof": {"type": 1}}, "the first @context must be"),
    ]:
        found = await verdict(conversion, credential)
        assert found["verified"] is False
        assert any(reason in e for e in found["errors"]), (credential, found["errors"])


async def test_a_credential_over_one_megabyte_is_refused_by_name(conversion) -> None:
    huge = {"padding": "x" * 1_000_000}
    found = await gql(conversion, VERIFY, {"credential": huge}, headers={"Accept-Language": "en"})
    assert error_code(found) == ("BAD_USER_INPUT", "credential")
    assert "at most 1000000 bytes" in found["errors"][0]["message"]
    literal = '{ verifyCredential(credential: {a: [1, "x", {b: null}]}) { verified errors } }'
    answered = await gql(conversion, literal)
    assert answered["data"]["verifyCredential"]["verified"] is False
