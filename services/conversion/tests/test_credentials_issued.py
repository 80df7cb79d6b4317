"""The credentials conversion issues (issue 16): a learner's programme certificate as a
signed Open Badges 3.0 credential, kept and shared by a public link; the transcript as
a signed CLR 2.0 credential, kept until what it holds changes; both read as the
learner's certificates are (the learner, admins, an institution under consent); and
revocation through the signed W3C Bitstring Status List: a conversion revoked, a
certificate flagged, an account closed."""

import asyncio
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
import pytest

from cbkit.auth import Role
from cbkit.settings import SettingsError
from cbkit.testing import TestStack, error_code, gql, handled, new_id
from cbkit.vc import proof
from cbkit.vc import status as bitstring
from cbkit.vc.issuer import DEFAULT_PUBLIC_URL
from services.conversion.service import build
from services.conversion.service_layer.credentials import our_status_list, status_bit
from services.conversion.tests.conftest import (
    ACCOUNTS,
    Catalog,
    Credited,
    account_view,
    consent_to,
    credited_learner,
    learner,
)
from services.conversion.tests.test_credentials_documents import CLR, OB, errors

CERTIFICATES = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}])
  { ... on Account { certificates { serial flagged credential credentialUrl } } } }"""
TRANSCRIPT = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}])
  { ... on Account { transcriptCredential } } }"""
CONVERSIONS = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}])
  { ... on Account { conversions { id course { code } } } } }"""
REVOKE = 'mutation($id: ID!) { revokeConversion(id: $id, reason: "forged") { id } }'
FAR = datetime(2099, 1, 1, tzinfo=UTC)
DID = "did:web:127.0.0.1%3A4000"


def verified(stack: TestStack, document: dict[str, Any]) -> bool:
    """Whether the document's proof holds for the run's credential key."""
    verdict = proof.verify(document, stack.credential_key.public_key())
    assert verdict.errors == [] or not verdict.verified
    return verdict.verified


async def certificate(conversion, credited: Credited, token: str) -> dict[str, Any]:
    found = await account_view(conversion, CERTIFICATES, credited.id, token)
    [only] = found["certificates"]
    return dict(only)


async def transcript(conversion, account: str, token: str) -> dict[str, Any]:
    found = await account_view(conversion, TRANSCRIPT, account, token)
    document: dict[str, Any] = found["transcriptCredential"]
    return document


async def fetched(conversion: httpx.AsyncClient, url: str) -> httpx.Response:
    """GET a public credential address, from this service (the gateway passes it on)."""
    return await conversion.get(urlsplit(url).path)


async def bit(conversion: httpx.AsyncClient, stack: TestStack, document: dict[str, Any]) -> bool:
    """Whether the document is revoked, as a verifier reads it: the signed status list
    credential at its `statusListCredential`, its bit at `statusListIndex`."""
    entry = document["credentialStatus"]
    response = await fetched(conversion, entry["statusListCredential"])
    assert response.status_code == 200
    assert response.headers["cache-control"] == "max-age=60"
    status_list = orjson.loads(response.content)
    assert verified(stack, status_list)
    assert status_list["id"] == entry["statusListCredential"]
    encoded = status_list["credentialSubject"]["encodedList"]
    return bitstring.is_set(encoded, int(entry["statusListIndex"]))


async def test_a_certificate_is_a_signed_open_badge_kept_and_shared(
    conversion, bus, admin, stack
) -> None:
    credited = await credited_learner(conversion, bus, admin, stack)
    first = await certificate(conversion, credited, credited.token)
    badge = first["credential"]
    assert verified(stack, badge)
    assert errors(OB, badge) == []
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["issuer"]["id"] == DID
    assert badge["issuer"]["name"] == "学分银行 / Credit Bank"
    assert badge["id"] == first["credentialUrl"]
    assert first["credentialUrl"].startswith(f"{DEFAULT_PUBLIC_URL}/credentials/")
    subject = badge["credentialSubject"]
    assert subject["id"] == f"urn:uuid:{credited.id}"
    assert subject["creditsEarned"] == 2
    assert "Course C1" in subject["achievement"]["criteria"]["narrative"]
    assert badge["credentialStatus"]["statusListCredential"] == (
        f"{DEFAULT_PUBLIC_URL}/credentials/status/1"
    )
    assert await bit(conversion, stack, badge) is False

    again = await certificate(conversion, credited, credited.token)
    assert again == first  # the same document, not signed anew
    shared = await fetched(conversion, first["credentialUrl"])
    assert shared.status_code == 200
    assert shared.headers["content-type"] == "application/json"
    assert orjson.loads(shared.content) == badge
    # tampered with, it no longer verifies
    assert not verified(stack, {**badge, "name": badge["name"] + "!"})
    # the learner's own data lists it
    headers = {"Authorization": f"Bearer {credited.token}"}
    exported = orjson.loads((await conversion.get("/privacy/export", headers=headers)).content)
    [listed] = exported["records"]["credentials"]
    assert (listed["kind"], listed["serial"], listed["revokedAt"]) == (
        "CERTIFICATE",
        first["serial"],
        None,
    )
    assert first["credentialUrl"].endswith(listed["id"])


async def test_an_unknown_share_link_is_not_found(conversion) -> None:
    for path in (f"/credentials/{new_id()}", "/credentials/nonsense", "/credentials/status/9"):
        response = await conversion.get(path, headers={"Accept-Language": "zh"})
        assert response.status_code == 404, path
        body = orjson.loads(response.content)
        assert body["code"] == "NOT_FOUND"
        assert body["error"].startswith("没有")
    for path in ("/credentials/status/x", f"/credentials/status/{2**40}"):
        assert (await conversion.get(path)).status_code == 404


async def test_the_credentials_are_read_as_the_certificates_are(
    conversion, bus, admin, stack
) -> None:
    credited = await credited_learner(conversion, bus, admin, stack)
    mine = await certificate(conversion, credited, credited.token)
    institution = new_id()
    await handled(conversion, await bus.grant(consent_to(credited.id, institution), FAR))
    university = stack.token(institution, Role.INSTITUTION)
    assert await certificate(conversion, credited, university) == mine
    assert await certificate(conversion, credited, admin) == mine
    assert (await transcript(conversion, credited.id, university))["type"][1] == "ClrCredential"

    strangers = {
        "FORBIDDEN": [
            stack.token(new_id(), Role.INSTITUTION),  # no consent
            stack.token(new_id(), Role.REVIEWER),
            learner(stack)[1],
        ],
        "UNAUTHENTICATED": [None],
    }
    for code, tokens in strangers.items():
        for token in tokens:
            for query in (CERTIFICATES, TRANSCRIPT):
                refused = await gql(conversion, query, {"id": credited.id}, token)
                assert error_code(refused)[0] == code, (query, refused)
                assert refused["data"] is None or refused["data"]["_entities"] == [None]


async def test_the_transcript_holds_the_conversions_and_certificates_until_they_change(
    conversion, bus, admin, stack
) -> None:
    credited = await credited_learner(conversion, bus, admin, stack)
    first = await transcript(conversion, credited.id, credited.token)
    assert verified(stack, first)
    assert errors(CLR, first) == []
    assert first["id"].startswith("urn:uuid:")
    subject = first["credentialSubject"]
    kinds = [c["type"][1] for c in subject["verifiableCredential"]]
    assert kinds == ["OpenBadgeCredential", "AchievementCredential"]
    [badge] = (await certificate(conversion, credited, credited.token),)
    assert subject["verifiableCredential"][0] == badge["credential"]  # the signed one
    # two certified results (one converted, one refused as credited already), one course
    assert len(subject["achievement"]) == 3
    assert await transcript(conversion, credited.id, credited.token) == first  # kept

    catalog = Catalog(conversion, admin)
    _, credential = await catalog.course_with_rule("X", "1.5", await catalog.major())
    await handled(conversion, await bus.approve(credited.id, credential))
    second = await transcript(conversion, credited.id, credited.token)
    assert second["id"] != first["id"]
    assert verified(stack, second)
    earned = [
        c["credentialSubject"].get("creditsEarned")
        for c in second["credentialSubject"]["verifiableCredential"]
    ]
    assert earned == [2, 2, 1.5]
    assert await bit(conversion, stack, first) is False  # superseded, still valid

    # the new conversion revoked: both transcripts holding it are revoked, a third
    # holds what is left
    found = await account_view(conversion, CONVERSIONS, credited.id, credited.token)
    [added] = [c["id"] for c in found["conversions"] if c["course"]["code"].endswith("-CX")]
    assert "errors" not in await gql(conversion, REVOKE, {"id": added}, admin)
    assert await bit(conversion, stack, second) is True
    assert await bit(conversion, stack, first) is False  # it never held that one
    third = await transcript(conversion, credited.id, credited.token)
    assert third["id"] not in (first["id"], second["id"])
    assert len(third["credentialSubject"]["verifiableCredential"]) == 2
    assert await bit(conversion, stack, third) is False


async def test_revoking_a_conversion_revokes_what_held_it(conversion, bus, admin, stack) -> None:
    credited = await credited_learner(conversion, bus, admin, stack)
    badge = (await certificate(conversion, credited, credited.token))["credential"]
    held = await transcript(conversion, credited.id, credited.token)
    found = await account_view(conversion, CONVERSIONS, credited.id, credited.token)
    [converted] = found["conversions"]
    assert "errors" not in await gql(conversion, REVOKE, {"id": converted["id"]}, admin)

    assert await bit(conversion, stack, held) is True
    assert await bit(conversion, stack, badge) is True  # its programme is no longer met
    flagged = await certificate(conversion, credited, credited.token)
    assert flagged["flagged"] is True
    assert flagged["credential"] == badge  # the same document, now revoked
    async with conversion.runtime.pool.acquire() as conn:
        entry = held["credentialStatus"]
        number = int(entry["statusListCredential"].rsplit("/", 1)[1])
        assert await status_bit(conn, number, int(entry["statusListIndex"])) is True
        assert await status_bit(conn, number, bitstring.MIN_LENGTH) is None
        assert await status_bit(conn, 999, 0) is None
        assert await status_bit(conn, number, 2**40) is None
    # nothing left to put in a new transcript: no conversion, no certificate that holds
    refused = await gql(conversion, TRANSCRIPT, {"id": credited.id}, credited.token)
    assert error_code(refused) == ("NOT_FOUND", "transcriptCredential")


async def test_a_certificate_flagged_before_its_credential_is_issued_revoked(
    conversion, bus, admin, stack
) -> None:
    credited = await credited_learner(conversion, bus, admin, stack)
    found = await account_view(conversion, CONVERSIONS, credited.id, credited.token)
    [converted] = found["conversions"]
    assert "errors" not in await gql(conversion, REVOKE, {"id": converted["id"]}, admin)
    badge = (await certificate(conversion, credited, credited.token))["credential"]
    assert verified(stack, badge)
    assert badge["credentialSubject"]["creditsEarned"] == 0
    assert await bit(conversion, stack, badge) is True


async def test_a_closed_account_revokes_and_hides_its_credentials(
    conversion, bus, admin, stack
) -> None:
    credited = await credited_learner(conversion, bus, admin, stack)
    first = await certificate(conversion, credited, credited.token)
    held = await transcript(conversion, credited.id, credited.token)
    data = {"accountId": credited.id, "role": "LEARNER", "closedAt": "2026-11-30T08:00:00Z"}
    await handled(conversion, await bus.send("account.closed", data, ACCOUNTS))

    assert (await fetched(conversion, first["credentialUrl"])).status_code == 404
    assert await bit(conversion, stack, held) is True
    assert await bit(conversion, stack, first["credential"]) is True
    refused = await gql(conversion, TRANSCRIPT, {"id": credited.id}, credited.token)
    assert error_code(refused)[0] == "NOT_FOUND"
    assert (await account_view(conversion, CERTIFICATES, credited.id, credited.token)) == {
        "certificates": []
    }


async def test_a_learner_with_nothing_converted_has_no_transcript(conversion, stack) -> None:
    account, token = learner(stack)
    refused = await gql(conversion, TRANSCRIPT, {"id": account}, token)
    assert error_code(refused) == ("NOT_FOUND", "transcriptCredential")
    assert "nothing to put in a transcript" in refused["errors"][0]["message"]


async def test_two_first_requests_at_once_answer_one_transcript(
    conversion, bus, admin, stack
) -> None:
    credited = await credited_learner(conversion, bus, admin, stack)
    answers = await asyncio.gather(
        *(transcript(conversion, credited.id, credited.token) for _ in range(3))
    )
    assert len({a["id"] for a in answers}) == 1
    async with conversion.runtime.pool.acquire() as conn:
        kept = await conn.fetchval(
            "SELECT count(*) FROM issued_credentials WHERE learner_id = $1::uuid"
            " AND kind = 'TRANSCRIPT'",
            credited.id,
        )
    assert kept == 1


async def test_our_status_lists_are_known_by_their_address(conversion) -> None:
    deps = conversion.runtime.deps
    ours = f"{DEFAULT_PUBLIC_URL}/credentials/status/"
    assert our_status_list(deps, f"{ours}7") == 7
    for url in (f"{ours}07", f"{ours}0", f"{ours}x", f"{ours}{2**40}", f"{ours}7/8", f"{ours}٣"):
        assert our_status_list(deps, url) is None, url
    assert our_status_list(deps, "https://elsewhere.example/credentials/status/7") is None


async def test_a_bad_credential_key_stops_the_start_by_name(run_service, tmp_path) -> None:
    (tmp_path / "bad.pem").write_text("not a key")
    for path in ("/nonexistent/credential.pem", str(tmp_path / "bad.pem")):
        with pytest.raises(SettingsError, match="CB_CREDENTIAL_KEY_FILE"):
            async with run_service(build(), "badkey", CB_CREDENTIAL_KEY_FILE=path):
                pass
