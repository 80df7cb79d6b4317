"""Our verifier (`cbkit.vc.verification.check`) and Digital Bazaar's (`@digitalbazaar/vc`
7.3, tests/credentials/verifier/verify.mjs) give the same verdict on the same documents:
a good badge and transcript, and each way a credential fails (a changed character, a
proof from another key, a key the DID document does not list, an issuer that is not the
key's controller, no proof, another cryptosuite, an undefined term, validity dates, a
revoked or unreadable status). Each row also names the reason we give."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cbkit.vc import did_document, sign
from cbkit.vc.did import key_id
from cbkit.vc.status import status_entry, status_list_credential
from cbkit.vc.verification import (
    MAX_BYTES,
    StatusCheck,
    StatusEntry,
    Verification,
    check,
)
from tests.credentials.test_proofs import CREATED, DID, PUBLIC_URL, badge
from tests.credentials.third_party import CLR_CONTEXT, verdicts_offline

KEY = Ed25519PrivateKey.generate()
OTHER_KEY = Ed25519PrivateKey.generate()
METHOD = key_id(DID, 1)
LIST_URL = f"{PUBLIC_URL}/credentials/status/1"
UNSERVED_LIST_URL = f"{PUBLIC_URL}/credentials/status/9"
CLEAR, REVOKED = 17, 18


def signed(document: dict[str, Any], key: Ed25519PrivateKey = KEY, method: str = METHOD) -> Any:
    return sign(document, key, method, CREATED)


def with_status(index: int, list_url: str = LIST_URL) -> dict[str, Any]:
    document = badge()
    document["credentialStatus"] = status_entry(list_url, index)
    return document


def changed(document: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> Any:
    copied = copy.deepcopy(document)
    change(copied)
    return copied


def transcript() -> dict[str, Any]:
    """A small CLR 2.0 ClrCredential holding one achievement credential."""
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            CLR_CONTEXT,
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:6a1f0c9e-3b7d-4e0a-8c55-1d2e3f4a5b6c",
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": "学分银行成绩单 / Credit Bank transcript",
        "issuer": {"id": DID, "type": ["Profile"], "name": "Credit Bank 学分银行"},
        "validFrom": "2026-03-02T09:00:00Z",
        "credentialSubject": {
            "type": ["ClrSubject"],
            "verifiableCredential": [badge()],
            "achievement": [badge()["credentialSubject"]["achievement"]],
        },
    }


def _set_validity(name: str, value: str) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document[name] = value

    return change


def _two_proofs(first: dict[str, Any], second: dict[str, Any]) -> Any:
    return {**first, "proof": [first["proof"], second["proof"]]}


GOOD = signed(badge())
FORGED = signed(badge(), OTHER_KEY)
FUTURE = (datetime.now(UTC) + timedelta(days=3650)).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Row:
    name: str
    document: Any
    verified: bool
    reason: str | None = None
    """A phrase of our English reason (None: no error)."""
    status: StatusCheck = StatusCheck.NONE
    proof_valid: bool | None = None
    """None: as verified."""


ROWS = [
    Row("a good badge", GOOD, True),
    Row("a good CLR transcript", signed(transcript()), True),
    Row(
        "one changed character in the subject",
        changed(
            GOOD,
            lambda d: d["credentialSubject"]["achievement"].update(name="Data Analysys"),
        ),
        False,
        "the signature does not match the credential and the key",
    ),
    Row(
        "a proof from another key under our verification method id",
        FORGED,
        False,
        "the signature does not match",
    ),
    Row(
        "a verification method the DID document does not list",
        signed(badge(), method=key_id(DID, 2)),
        False,
        "is not one the issuer's DID document lists",
    ),
    Row(
        "an issuer that is not the key's controller",
        signed(changed(badge(), lambda d: d["issuer"].update(id="did:web:elsewhere.example"))),
        False,
        "is not the controller of the key",
    ),
    Row(
        "no proof",
        {k: v for k, v in GOOD.items() if k != "proof"},
        False,
        "the credential has no proof",
    ),
    Row("two proofs, one of them good", _two_proofs(FORGED, GOOD), True),
    Row(
        "two proofs, neither good",
        _two_proofs(FORGED, signed(badge(), method=key_id(DID, 3))),
        False,
        "the signature does not match",
    ),
    Row(
        "another cryptosuite",
        changed(GOOD, lambda d: d["proof"].update(cryptosuite="eddsa-jcs-2022")),
        False,
        "no proof this verifier can check",
    ),
    Row(
        "another proof purpose",
        changed(GOOD, lambda d: d["proof"].update(proofPurpose="authentication")),
        False,
        "no proof this verifier can check",
    ),
    Row(
        "an undefined term (JSON-LD safe mode)",
        changed(GOOD, lambda d: d["credentialSubject"].update(grade="A")),
        False,
        "does not define: credentialSubject.grade",
    ),
    Row(
        "validFrom in the future",
        signed(changed(badge(), _set_validity("validFrom", FUTURE))),
        False,
        "not valid before",
        proof_valid=True,
    ),
    Row(
        "validUntil passed",
        signed(changed(badge(), _set_validity("validUntil", "2026-03-03T00:00:00Z"))),
        False,
        "expired at 2026-03-03T00:00:00Z",
        proof_valid=True,
    ),
    Row(
        "validUntil to come",
        signed(changed(badge(), _set_validity("validUntil", FUTURE))),
        True,
    ),
    Row(
        "validUntil to come, in nanoseconds",
        signed(changed(badge(), _set_validity("validUntil", "2100-01-01T09:00:00.123456789Z"))),
        True,
    ),
    Row(
        "validUntil at 24:00 and a fraction (JavaScript cannot read it)",
        signed(changed(badge(), _set_validity("validUntil", "2100-01-01T24:00:00.5Z"))),
        False,
        "validUntil is not a valid date-time",
        proof_valid=True,
    ),
    Row(
        "validFrom on 30 February (JavaScript reads 2 March)",
        signed(changed(badge(), _set_validity("validFrom", "2026-02-30T09:00:00Z"))),
        True,
    ),
    Row("a status bit clear", signed(with_status(CLEAR)), True, status=StatusCheck.ACTIVE),
    Row(
        "a revoked status bit",
        signed(with_status(REVOKED)),
        False,
        "the issuer has revoked this credential",
        status=StatusCheck.REVOKED,
        proof_valid=True,
    ),
    Row(
        "a status list URL nobody serves",
        signed(with_status(CLEAR, UNSERVED_LIST_URL)),
        False,
        f"the status list {UNSERVED_LIST_URL} (index {CLEAR}) cannot be read",
        status=StatusCheck.UNCHECKED,
        proof_valid=True,
    ),
    Row(
        "a proof that is not an object",
        changed(GOOD, lambda d: d.update(proof="z3FXQjecWufY46")),
        False,
        "proof must be an object with a type",
    ),
    Row(
        "a credential subject that is not an object",
        changed(GOOD, lambda d: d.update(credentialSubject="me")),
        False,
        "credentialSubject must be an object",
    ),
    Row(
        "a context not shipped",
        changed(GOOD, lambda d: d["@context"].append("https://example.org/unknown.jsonld")),
        False,
        "names a context this verifier does not know: https://example.org/unknown.jsonld",
    ),
    Row(
        "not an object",
        ["VerifiableCredential"],
        False,
        "a credential is a JSON object",
        status=StatusCheck.UNCHECKED,
    ),
]


def status_bits(entry: StatusEntry) -> bool | None:
    """Our status lists as the test serves them: LIST_URL has REVOKED set; no other."""
    if entry.list_url != LIST_URL:
        return None
    return entry.index == REVOKED


def ours(document: Any) -> Verification:
    keys = {METHOD: KEY.public_key()}
    return asyncio.run(check(document, keys=keys, status=status_bits, now=datetime.now(UTC)))


@pytest.fixture(scope="module")
def theirs_by_row(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Digital Bazaar's verdict on each row's document, by the row's name, with our DID
    document and LIST_URL served (REVOKED set): one run of the verifier for the table."""
    status_list = signed(status_list_credential(LIST_URL, DID, {REVOKED}, CREATED))
    did = did_document(DID, [KEY.public_key()])
    files = tmp_path_factory.mktemp("verdicts")
    verdicts = verdicts_offline([r.document for r in ROWS], did, files, {LIST_URL: status_list})
    by_row = {row.name: verdict for row, verdict in zip(ROWS, verdicts, strict=True)}
    assert len(by_row) == len(ROWS), "two rows of one name"
    return by_row


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_the_same_verdict_as_digital_bazaar(
    row: Row, theirs_by_row: dict[str, dict[str, Any]]
) -> None:
    theirs = theirs_by_row[row.name]
    mine = ours(row.document)
    assert theirs["verified"] is row.verified, theirs
    assert mine.verified is row.verified, [e("en") for e in mine.errors]
    reasons = [e("en") for e in mine.errors]
    if row.reason is None:
        assert reasons == []
    else:
        assert any(row.reason in r for r in reasons), reasons
    assert mine.status is row.status
    assert mine.proof_valid is (row.verified if row.proof_valid is None else row.proof_valid)
    assert all(e("zh") and e("zh") != e("en") for e in mine.errors)


def test_a_good_credential_is_described():
    found = ours(signed(with_status(CLEAR)))
    assert found == Verification(
        verified=True,
        proof_valid=True,
        issuer=DID,
        issuer_name="Credit Bank 学分银行",
        issued_by_us=True,
        status=StatusCheck.ACTIVE,
        valid_from=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        valid_until=None,
        types=("VerifiableCredential", "OpenBadgeCredential"),
        errors=(),
    )
    plain_issuer = signed(changed(badge(), lambda d: d.update(issuer=DID)))
    described = ours(plain_issuer)
    assert (described.verified, described.issuer, described.issuer_name) == (True, DID, None)


def test_another_issuers_credential_is_not_ours():
    """A credential signed by someone else under their own DID: the proof cannot be
    checked with our keys, so it is neither verified nor ours."""
    elsewhere = "did:web:elsewhere.example"
    document = changed(badge(), lambda d: d["issuer"].update(id=elsewhere))
    theirs = sign(document, OTHER_KEY, key_id(elsewhere, 1), CREATED)
    found = ours(theirs)
    assert (found.verified, found.proof_valid, found.issued_by_us) == (False, False, False)
    assert found.issuer == elsewhere
    assert "is not one the issuer's DID document lists" in found.errors[0]("en")


def test_within_the_clock_skew_a_date_is_not_yet_wrong():
    document = signed(badge())
    keys = {METHOD: KEY.public_key()}
    valid_from = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for now, verified in [
        (valid_from - timedelta(seconds=299), True),
        (valid_from - timedelta(seconds=300), False),
    ]:
        found = asyncio.run(check(document, keys=keys, status=status_bits, now=now))
        assert found.verified is verified, now


def test_a_status_reader_may_be_async():
    async def bits(entry: StatusEntry) -> bool | None:
        return entry.index == REVOKED

    keys = {METHOD: KEY.public_key()}
    now = datetime.now(UTC)
    revoked = asyncio.run(check(signed(with_status(REVOKED)), keys=keys, status=bits, now=now))
    assert revoked.status is StatusCheck.REVOKED


@pytest.mark.parametrize(
    "document, reason",
    [
        ("a string", "a credential is a JSON object"),
        (None, "a credential is a JSON object"),
        ({"proof": {"proof": {}}}, "the first @context must be"),
        (
            {"@context": "https://www.w3.org/ns/credentials/v2", "nested": [[[[[[[]]]]]]] * 1},
            "the credential names no issuer",
        ),
        (
            {"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]},
            "nests deeper than 32 levels",
        ),
        ({**GOOD, "padding": "x" * MAX_BYTES}, f"at most {MAX_BYTES} (1 MB) are verified"),
        ({**GOOD, "@context": 5}, "the first @context must be"),
        ({**GOOD, "proof": {"type": "DataIntegrityProof"}}, "no proof this verifier can check"),
        (
            {**GOOD, "proof": {**GOOD["proof"], "proofValue": 12}},
            "proofValue is not multibase",
        ),
        (
            {**GOOD, "credentialStatus": {"type": "StatusList2021Entry"}},
            "a status this verifier cannot check",
        ),
        (
            {**GOOD, "credentialStatus": {"type": "BitstringStatusListEntry"}},
            "needs a statusListCredential",
        ),
    ],
)
def test_malformed_input_is_a_verdict_with_a_reason(document: Any, reason: str) -> None:
    found = ours(document)
    assert not found.verified
    reasons = [e("en") for e in found.errors]
    assert any(reason in r for r in reasons), reasons


def test_the_event_loop_keeps_running_while_a_large_credential_is_checked():
    document = transcript()
    achievement = document["credentialSubject"]["achievement"][0]
    document["credentialSubject"]["achievement"] = [
        {**achievement, "id": f"{PUBLIC_URL}/achievements/{n}"} for n in range(150)
    ]
    large = signed(document)
    keys = {METHOD: KEY.public_key()}

    async def checked_while_ticking() -> tuple[Verification, int]:
        ticks = 0
        task = asyncio.ensure_future(
            check(large, keys=keys, status=status_bits, now=datetime.now(UTC))
        )
        while not task.done():
            await asyncio.sleep(0.01)
            ticks += 1
        return task.result(), ticks

    found, ticks = asyncio.run(checked_while_ticking())
    assert found.verified, [e("en") for e in found.errors]
    assert ticks >= 5  # the loop was free while pyld worked in its thread
