"""Use cases of the verifiable credentials the bank issues (issue 16): a programme
certificate as a signed Open Badges 3.0 `OpenBadgeCredential`, a learner's transcript
as a signed CLR 2.0 `ClrCredential`, and the W3C Bitstring Status Lists that revoke
them, each list itself a signed credential.

- A certificate's credential is issued on first request and kept: later requests
  answer the same text. Its id is its public share link, `{CB_PUBLIC_URL}/credentials/
  {uuid}`.
- A transcript (`urn:uuid:…`, not public) is kept with the fingerprint of its unsigned
  content: asked again, the kept one answers while the content is the same; otherwise
  a new one is signed and the one before is superseded (it stays valid: someone may
  hold it). Signing a large transcript takes a second (pure-Python canonicalization),
  so it runs in a thread and the event loop keeps serving.
- Each credential's status index is drawn at random among the free ones of the newest
  list (sequential indexes would tell the order of issue); a list takes credentials
  until half its bits are used, then the next list opens.
- Revocation sets the bits in the transaction of the change itself: a conversion
  revoked (the transcripts holding it), a certificate flagged (its credential and the
  transcripts embedding it), an account closed (all the learner's). A credential
  stored after such a change is revoked as it is stored. Setting a bit moves the
  list's version on: its signed credential is signed anew on the next read.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cbkit.db import Connection
from cbkit.errors import NotFound
from cbkit.vc import proof, status
from services.conversion import domain
from services.conversion.domain.credentials import (
    CertifiedResult,
    ConvertedCourse,
    CredentialKind,
    IssuedCredential,
    Learner,
    RevocationReason,
    StatusEntry,
    clr,
    credits_earned,
    fingerprint,
    open_badge,
    urn_uuid,
)
from services.conversion.repository import catalog, certificates, conversions, credentials
from services.conversion.repository.credentials import Position
from services.conversion.service_layer.dependencies import Dependencies

STATUS_PATH = "credentials/status/"
MAX_DRAWS = 32
"""Random draws of a free index before the list counts as full (at most half its bits
are used, so 32 draws all taken is a chance of 2^-32)."""
MAX_NUMBER = 2**31 - 1
"""The largest list number or index kept (PostgreSQL's integer)."""
_PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000"
_PLACEHOLDER_TIME = datetime(2000, 1, 1, tzinfo=UTC)


class _IndexTaken(Exception):
    """The status index drawn was taken meanwhile: draw again and sign again."""


def status_list_url(deps: Dependencies, number: int) -> str:
    """The public address of status list `number` (its credential's id)."""
    return deps.issuer.url(f"{STATUS_PATH}{number}")


def status_list_prefix(deps: Dependencies) -> str:
    """What the addresses of our status lists start with: `{public_url}/credentials/status/`."""
    return deps.issuer.url(STATUS_PATH)


def our_status_list(deps: Dependencies, url: str) -> int | None:
    """The number of our status list at `url`, or None when `url` is not one of ours."""
    prefix = status_list_prefix(deps)
    rest = url[len(prefix) :] if url.startswith(prefix) else ""
    if not (rest.isascii() and rest.isdigit()) or rest[0] == "0" or int(rest) > MAX_NUMBER:
        return None
    return int(rest)


async def status_bit(conn: Connection, number: int, index: int) -> bool | None:
    """Whether bit `index` of our status list `number` is set (the credential there is
    revoked); None when there is no such list or index."""
    if not (0 < number <= MAX_NUMBER and 0 <= index <= MAX_NUMBER):
        return None
    return await credentials.bit_is_set(conn, number, index)


def _set_indexes(bits: bytes) -> list[int]:
    return [
        at * 8 + offset
        for at, byte in enumerate(bits)
        if byte
        for offset in range(8)
        if byte & (0x80 >> offset)
    ]


async def _sign(document: dict[str, Any], deps: Dependencies, now: datetime) -> str:
    """The document signed (in a thread: canonicalization is slow), as kept and served."""
    keys = deps.credential_keys
    signed = await asyncio.to_thread(
        proof.sign, document, keys.signing_key, keys.verification_method, now
    )
    return json.dumps(signed, ensure_ascii=False)


async def _draw_position(conn: Connection, at: datetime) -> Position:
    """A free status index, drawn at random in the newest list with room."""
    newest = await credentials.newest_list(conn)
    number, size, used = newest or (0, status.MIN_LENGTH, status.MIN_LENGTH)
    while True:
        if used * 2 >= size:
            number, size, used = number + 1, status.MIN_LENGTH, 0
            await credentials.open_list(conn, number, size, at)
        for _ in range(MAX_DRAWS):
            index = secrets.randbelow(size)
            if not await credentials.index_taken(conn, number, index):
                return number, index
        used = size


async def _set_bits(conn: Connection, positions: Iterable[Position], at: datetime) -> None:
    for number, index in sorted(set(positions)):  # one order: no deadlock between two
        await credentials.set_bit(conn, number, index, at)


async def _revocation_due(conn: Connection, issued: IssuedCredential) -> RevocationReason | None:
    """Why a credential just stored no longer holds (what it rests on changed while it
    was signed), if it does not."""
    if (await conversions.closed_among(conn, [issued.learner_id]))[0]:
        return RevocationReason.ACCOUNT_CLOSED
    serials = [issued.serial] if issued.serial else list(issued.serials)
    if serials and await certificates.flagged_among(conn, serials):
        return RevocationReason.CERTIFICATE_FLAGGED
    if issued.conversion_ids and await conversions.revoked_among(conn, list(issued.conversion_ids)):
        return RevocationReason.CONVERSION_REVOKED
    return None


async def _store(conn: Connection, issued: IssuedCredential, now: datetime) -> IssuedCredential:
    """Keep a credential just signed, in the caller's transaction with the learner
    locked; revoked at once when what it rests on changed meanwhile."""
    if not await credentials.insert(conn, issued):
        raise _IndexTaken
    reason = await _revocation_due(conn, issued)
    if reason is not None:
        await _set_bits(conn, await credentials.mark_revoked(conn, issued.id, reason, now), now)
    kept = await credentials.credential_by_id(conn, issued.id)
    assert kept is not None
    return kept


def _no_certificate(serial: str) -> NotFound:
    return NotFound(
        f'no certificate with serial "{serial}"', field="serial", zh=f"没有编号为“{serial}”的证书"
    )


async def certificate_credential(
    conn: Connection, serial: str, deps: Dependencies
) -> IssuedCredential:
    """The certificate's signed OpenBadgeCredential: issued on first request and kept;
    a flagged certificate's is issued revoked."""
    while True:
        kept = await credentials.certificate_credential(conn, serial)
        if kept is not None:
            return kept
        award = await certificates.award_by_serial(conn, serial)
        if award is None:
            raise _no_certificate(serial)
        issued = await _signed_certificate(conn, award, deps)
        try:
            async with conn.transaction():
                await conversions.lock_learner(conn, award.learner_id)
                if await credentials.certificate_credential(conn, serial) is not None:
                    continue  # issued by another request meanwhile: that one answers
                return await _store(conn, issued, deps.clock.now())
        except _IndexTaken:
            continue


async def _signed_certificate(
    conn: Connection, award: domain.Award, deps: Dependencies
) -> IssuedCredential:
    now = deps.clock.now()
    [program] = await catalog.programs_by_code(conn, [award.program_code])
    if program is None:
        raise _no_certificate(award.serial)
    courses = await catalog.courses_by_code(conn, list(program.required_course_codes))
    credited = await conversions.credited_courses(conn, award.learner_id)
    number, index = await _draw_position(conn, now)
    credential_id = str(uuid.uuid4())
    document = open_badge(
        award,
        program,
        Learner(award.learner_id),
        deps.issuer,
        now,
        credential_id,
        StatusEntry(status_list_url(deps, number), index),
        courses={course.code: course for course in courses if course is not None},
        credits_earned=credits_earned(program, credited),
    )
    return IssuedCredential(
        id=credential_id,
        kind=CredentialKind.CERTIFICATE,
        learner_id=award.learner_id,
        serial=award.serial,
        status_list=number,
        status_index=index,
        document=await _sign(document, deps, now),
        fingerprint=None,
        conversion_ids=(),
        serials=(),
        issued_at=now,
    )


def certificate_url(deps: Dependencies, issued: IssuedCredential) -> str:
    """A certificate credential's public share link (its id)."""
    return deps.issuer.url(f"credentials/{issued.id}")


@dataclass(frozen=True)
class _Transcript:
    """What a learner's transcript holds, and the fingerprint of that content."""

    learner: Learner
    conversions: list[ConvertedCourse]
    results: list[CertifiedResult]
    certificates: list[IssuedCredential]
    fingerprint: str

    def document(
        self, deps: Dependencies, issued_at: datetime, credential_id: str, at: Position | None
    ) -> dict[str, Any]:
        certificates = [json.loads(c.document) for c in self.certificates]
        where = None if at is None else StatusEntry(status_list_url(deps, at[0]), at[1])
        document = clr(
            self.learner,
            self.conversions,
            self.results,
            certificates,
            deps.issuer,
            issued_at,
            credential_id,
            where,
        )
        return {**document, "id": urn_uuid(credential_id)}  # not public: no address


def _nothing_to_transcribe() -> NotFound:
    return NotFound(
        "there is nothing to put in a transcript yet: no credits converted and no certificate",
        field="transcriptCredential",
        zh="成绩单中还没有可写入的内容：尚无换算的学分，也没有证书",
    )


async def _transcript(conn: Connection, learner_id: str, deps: Dependencies) -> _Transcript:
    """What the learner's transcript holds now: every certified result, every
    conversion not revoked, every certificate not flagged (its credential issued if
    need be)."""
    [found] = await conversions.conversions_by_learner(conn, [learner_id])
    held = [c for c in found if c.status is not domain.ConversionStatus.REVOKED]
    awards = [a for a in await certificates.awards_of_learner(conn, learner_id) if not a.flagged_at]
    if not held and not awards:
        raise _nothing_to_transcribe()
    issued = [await certificate_credential(conn, a.serial, deps) for a in awards]
    approvals = await conversions.approvals_of_learner(conn, learner_id)
    codes = sorted({c.course_code for c in held})
    courses = {c.code: c for c in await catalog.courses_by_code(conn, codes) if c is not None}
    major_codes = sorted({c.major_code for c in courses.values()})
    majors = {m.code: m for m in await catalog.majors_by_code(conn, major_codes) if m is not None}
    kinds = sorted({a.credential_code for a in approvals if a.credential_code})
    types = {t.code: t for t in await catalog.credential_types_by_code(conn, kinds) if t}
    converted = [
        ConvertedCourse(c, courses[c.course_code], majors[courses[c.course_code].major_code])
        for c in held
    ]
    results = [
        CertifiedResult(a, types.get(a.credential_code) if a.credential_code else None)
        for a in approvals
    ]
    learner = Learner(learner_id)
    content = _Transcript(learner, converted, results, issued, "")
    unsigned = content.document(deps, _PLACEHOLDER_TIME, _PLACEHOLDER_ID, None)
    return _Transcript(learner, converted, results, issued, fingerprint(unsigned))


async def transcript_credential(
    conn: Connection, learner_id: str, deps: Dependencies
) -> IssuedCredential:
    """The learner's signed ClrCredential: the kept one while what it holds is the
    same, else a new one (the one before superseded). Refused when there is nothing
    to put in it. Two first requests at once may both sign; one is kept and both
    answer it."""
    while True:
        content = await _transcript(conn, learner_id, deps)
        current = await credentials.current_transcript(conn, learner_id)
        if current is not None and current.fingerprint == content.fingerprint:
            return current
        issued = await _signed_transcript(conn, content, deps)
        try:
            async with conn.transaction():
                await conversions.lock_learner(conn, learner_id)
                current = await credentials.current_transcript(conn, learner_id)
                if current is not None and current.fingerprint == content.fingerprint:
                    return current  # kept by another request meanwhile
                now = deps.clock.now()
                if current is not None:
                    await credentials.supersede(conn, current.id, now)
                return await _store(conn, issued, now)
        except _IndexTaken:
            continue


async def _signed_transcript(
    conn: Connection, content: _Transcript, deps: Dependencies
) -> IssuedCredential:
    now = deps.clock.now()
    at = await _draw_position(conn, now)
    credential_id = str(uuid.uuid4())
    document = content.document(deps, now, credential_id, at)
    return IssuedCredential(
        id=credential_id,
        kind=CredentialKind.TRANSCRIPT,
        learner_id=content.learner.id,
        serial=None,
        status_list=at[0],
        status_index=at[1],
        document=await _sign(document, deps, now),
        fingerprint=content.fingerprint,
        conversion_ids=tuple(c.conversion.id for c in content.conversions),
        serials=tuple(c.serial for c in content.certificates if c.serial),
        issued_at=now,
    )


async def issued_to_learner(conn: Connection, learner_id: str) -> list[IssuedCredential]:
    """Every credential issued to the learner, oldest first."""
    return await credentials.of_learner(conn, learner_id)


async def public_certificate(conn: Connection, credential_id: str) -> str | None:
    """A certificate's credential by its public id, as the text it was signed as; None
    for an unknown id, a transcript, or a learner who closed the account."""
    found = await credentials.credential_by_id(conn, credential_id)
    if found is None or found.kind is not CredentialKind.CERTIFICATE:
        return None
    if (await conversions.closed_among(conn, [found.learner_id]))[0]:
        return None
    return found.document


async def status_list_credential(conn: Connection, number: int, deps: Dependencies) -> str | None:
    """The signed BitstringStatusListCredential of list `number` (None: no such list),
    as kept; signed anew when its bits changed since."""
    found = await credentials.status_list(conn, number)
    if found is None:
        return None
    if found.signed is not None and found.signed_version == found.version:
        return found.signed
    now = deps.clock.now()
    document = status.status_list_credential(
        status_list_url(deps, number), deps.issuer.did, _set_indexes(found.bits), now, found.size
    )
    signed = await _sign(document, deps, now)
    await credentials.keep_signed(conn, number, signed, found.version, now)
    return signed


async def revoke_with_conversion(
    conn: Connection, learner_id: str, conversion_id: str, at: datetime
) -> None:
    """A conversion revoked: the transcripts holding it are revoked (the caller's
    transaction)."""
    positions = await credentials.revoke_holding_conversion(conn, learner_id, conversion_id, at)
    await _set_bits(conn, positions, at)


async def revoke_with_certificate(
    conn: Connection, learner_id: str, serial: str, at: datetime
) -> None:
    """A certificate flagged: its credential and the transcripts embedding it are
    revoked (the caller's transaction)."""
    positions = await credentials.revoke_with_certificate(conn, learner_id, serial, at)
    await _set_bits(conn, positions, at)


async def revoke_of_learner(conn: Connection, learner_id: str, at: datetime) -> None:
    """An account closed: every credential of the learner is revoked (the caller's
    transaction)."""
    await _set_bits(conn, await credentials.revoke_of_learner(conn, learner_id, at), at)
