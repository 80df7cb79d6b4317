"""What the bank issues as verifiable credentials, unsigned: an awarded certificate as
an Open Badges 3.0 `OpenBadgeCredential`, a learner's transcript as a Comprehensive
Learner Record 2.0 `ClrCredential`, both VC Data Model 2.0 documents. Pure: the
documents are built from records the caller read; signing is `cbkit.vc`'s.

Choices the standards leave open, made once here:

- Names. The 1EdTech JSON Schemas accept a language map (`{"zh": ..., "en": ...}`)
  for `name`, but the OB 3.0 context does not declare `name` a `@language` container,
  so JSON-LD expansion would drop such a map's keys (and a signer that refuses dropped
  terms refuses it). A bilingual name is therefore one string, Chinese first:
  "学前教育 / Preschool Education"; one language alone when only one is known.
- Credits. OB 3.0 writes credits as a JSON number (`creditsEarned` on the
  `AchievementSubject`, `creditsAvailable` on the `Achievement`); the bank keeps them
  as `Decimal` (at most one decimal place). `json_number` turns a whole amount into
  an `int` (3.0 -> 3: JSON has one number type, and a JavaScript verifier reads `3.0`
  as the integer 3, so writing the int keeps every canonicalization agreeing) and
  any other into the `float` whose shortest form is the same decimal, refusing an
  amount a float cannot carry exactly.
- The learner. `credentialSubject.id` is `urn:uuid:<account id>`; when an e-mail
  address and a salt are given, an `identifier` adds the OB 3.0 `IdentityObject`
  (`sha256$hex(email + salt)`, hashed), so a verifier who knows the address can match
  it without the document showing it.
- The transcript. CLR 2.0 requires at least one credential in the `ClrSubject`, and
  credits earned are an `AchievementSubject`'s: so every conversion is an (unsigned,
  embedded) `AchievementCredential` whose subject earned the credits, beside the
  certificates' credentials; `achievement` lists each certified result and each
  conversion; the rule a conversion came under (and its version) is an `alignment`
  of the conversion's achievement; `association`s link each conversion to the
  result it was converted from.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from services.conversion.domain.catalog import Course, CredentialType, Major, Program
from services.conversion.domain.engine import Approval, Award, Conversion

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"

OB_CONTEXTS = (VC_CONTEXT, OB_CONTEXT)
CLR_CONTEXTS = (VC_CONTEXT, CLR_CONTEXT, OB_CONTEXT)

ACHIEVEMENT_TYPES = {
    "QUALIFICATION_CERTIFICATE": "Certification",
    "VOCATIONAL_TRAINING": "Certificate",
    "ONLINE_COURSE": "Course",
    "ACADEMIC_COURSE": "Course",
    "WORK_EXPERIENCE": "ext:WorkExperience",
    "OTHER": "Achievement",
}
"""The OB 3.0 `achievementType` of a certified result, by its outcome kind."""


class CredentialKind(Enum):
    CERTIFICATE = "CERTIFICATE"
    """A programme certificate's OpenBadgeCredential: public by its share link."""
    TRANSCRIPT = "TRANSCRIPT"
    """A learner's ClrCredential: given to the learner (and who may read it), not public."""


class RevocationReason(Enum):
    """Why an issued credential's status bit was set."""

    CONVERSION_REVOKED = "CONVERSION_REVOKED"
    CERTIFICATE_FLAGGED = "CERTIFICATE_FLAGGED"
    ACCOUNT_CLOSED = "ACCOUNT_CLOSED"


@dataclass(frozen=True)
class IssuedCredential:
    """A credential the bank signed and keeps: its signed document as the text it is
    served as, where its revocation bit is, and (a transcript) what it holds."""

    id: str
    kind: CredentialKind
    learner_id: str
    serial: str | None
    """The certificate's serial (a certificate's credential only)."""
    status_list: int
    status_index: int
    document: str
    fingerprint: str | None
    """A transcript's: `fingerprint` of its unsigned content."""
    conversion_ids: tuple[str, ...]
    serials: tuple[str, ...]
    """A transcript's: the conversions and certificates it holds."""
    issued_at: datetime
    revoked_at: datetime | None = None
    revoke_reason: RevocationReason | None = None
    superseded_at: datetime | None = None


def fingerprint(document: Mapping[str, Any]) -> str:
    """sha256 (hex) of a document's canonical JSON (keys sorted, no spaces): the same
    content always gives the same fingerprint."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def credits_earned(program: Program, credited: Mapping[str, Decimal]) -> Decimal:
    """What the learner earned towards a programme: the credits converted (and not
    revoked) for its courses, by course code."""
    return sum(
        (credited[code] for code in program.required_course_codes if code in credited),
        Decimal(0),
    )


@dataclass(frozen=True)
class Issuer:
    """The bank as the issuer: its did:web, its names, its public address."""

    did: str
    name_zh: str
    name_en: str
    public_url: str
    """The configured public address (`CB_PUBLIC_URL`), without a trailing slash."""

    def profile(self) -> dict[str, Any]:
        return {
            "id": self.did,
            "type": ["Profile"],
            "name": bilingual(self.name_zh, self.name_en),
            "url": self.public_url,
        }

    def url(self, path: str) -> str:
        return f"{self.public_url.rstrip('/')}/{path.lstrip('/')}"


@dataclass(frozen=True)
class Learner:
    """The credential's subject: the learner's account id and, to be matched by a
    verifier who knows it, their e-mail address hashed with `salt`."""

    id: str
    email: str | None = None
    salt: str | None = None


@dataclass(frozen=True)
class StatusEntry:
    """Where a credential's revocation bit is: its index in a status list credential."""

    list_credential: str
    """The status list credential's URL."""
    index: int
    purpose: str = "revocation"


@dataclass(frozen=True)
class ConvertedCourse:
    """A conversion with the catalog entries it names (the version of its rule is the
    conversion's own `rule_version`)."""

    conversion: Conversion
    course: Course
    major: Major


@dataclass(frozen=True)
class CertifiedResult:
    """A certified learning outcome (the approval the conversion service received) and,
    when it is a credential of the catalog, that credential's type."""

    approval: Approval
    credential_type: CredentialType | None = None


def bilingual(zh: str | None, en: str | None) -> str:
    """One display string in both languages, Chinese first (see the module's note)."""
    names = [name for name in (zh, en) if name]
    if not names:
        raise ValueError("a name needs at least one language")
    if len(names) == 2 and names[0] == names[1]:
        return names[0]
    return " / ".join(names)


def json_number(amount: Decimal) -> int | float:
    """`amount` as the JSON number OB 3.0 writes credits with, exactly (see the module's
    note): an int when whole, else the float that prints as the same decimal."""
    if not amount.is_finite():
        raise ValueError(f"credits must be a finite number, not {amount}")
    if amount == amount.to_integral_value():
        return int(amount)
    number = float(amount)
    if Decimal(repr(number)) != amount:
        raise ValueError(f"{amount} cannot be written exactly as a JSON number")
    return number


def timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with 'Z', to the second (VC 2.0's `dateTimeStamp`)."""
    if moment.tzinfo is None:
        raise ValueError("a credential's time needs a time zone")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def urn_uuid(value: str) -> str:
    return f"urn:uuid:{uuid.UUID(value)}"


def subject_identity(learner: Learner) -> dict[str, Any]:
    """The learner as an OB 3.0 subject: `id`, and the hashed e-mail when known."""
    found: dict[str, Any] = {"id": urn_uuid(learner.id)}
    if learner.email is not None:
        if learner.salt is None:
            raise ValueError("a hashed e-mail address needs a salt")
        address = learner.email.strip().lower()
        digest = hashlib.sha256((address + learner.salt).encode()).hexdigest()
        found["identifier"] = [
            {
                "type": "IdentityObject",
                "identityHash": f"sha256${digest}",
                "identityType": "emailAddress",
                "hashed": True,
                "salt": learner.salt,
            }
        ]
    return found


def status_entry(status: StatusEntry) -> dict[str, Any]:
    """A W3C Bitstring Status List entry (`statusListIndex` is a string, as specified)."""
    return {
        "id": f"{status.list_credential}#{status.index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": status.purpose,
        "statusListIndex": str(status.index),
        "statusListCredential": status.list_credential,
    }


def program_achievement(
    program: Program, issuer: Issuer, courses: Mapping[str, Course]
) -> dict[str, Any]:
    """A certificate programme as an OB 3.0 `Achievement`."""
    required = [courses.get(code) for code in program.required_course_codes]
    names_zh = "、".join(
        f"{course.name_zh or course.name}（{course.code}）" if course else code
        for code, course in zip(program.required_course_codes, required, strict=True)
    )
    names_en = "; ".join(
        f"{course.name} ({course.code})" if course else code
        for code, course in zip(program.required_course_codes, required, strict=True)
    )
    narrative_zh = f"取得以下课程的学分：{names_zh}"
    narrative_en = f"Earn the credits of the courses: {names_en}"
    if program.min_credits is not None:
        narrative_zh += f"；至少 {program.min_credits} 学分"
        narrative_en += f"; at least {program.min_credits} credits"
    achievement: dict[str, Any] = {
        "id": issuer.url(f"achievements/programs/{program.code}"),
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": bilingual(program.name_zh, program.name),
        "description": bilingual(program.description_zh, program.description_en)
        if program.description_zh or program.description_en
        else bilingual(program.name_zh, program.name),
        "criteria": {"narrative": f"{narrative_zh}。\n\n{narrative_en}."},
        "humanCode": program.code,
    }
    if all(course is not None for course in required) and required:
        total = sum((course.credits for course in required if course), Decimal(0))
        achievement["creditsAvailable"] = json_number(total)
    return achievement


def open_badge(
    certificate: Award,
    program: Program,
    learner: Learner,
    issuer: Issuer,
    issued_at: datetime,
    credential_id: str,
    status: StatusEntry | None = None,
    *,
    courses: Mapping[str, Course] | None = None,
    credits_earned: Decimal | None = None,
) -> dict[str, Any]:
    """An awarded certificate as an OB 3.0 `OpenBadgeCredential` (unsigned).

    `credential_id` names it under the public address (`{public_url}/credentials/{id}`);
    `courses` (by code) lets the criteria name the programme's courses;
    `credits_earned` (the credits of the conversions that earned it) becomes the
    subject's `creditsEarned`."""
    if certificate.program_code != program.code:
        raise ValueError(f"certificate {certificate.serial} is not of programme {program.code}")
    if certificate.learner_id != learner.id:
        raise ValueError(f"certificate {certificate.serial} is not the learner's")
    subject: dict[str, Any] = {
        **subject_identity(learner),
        "type": ["AchievementSubject"],
        "achievement": program_achievement(program, issuer, courses or {}),
    }
    if credits_earned is not None:
        subject["creditsEarned"] = json_number(credits_earned)
    credential: dict[str, Any] = {
        "@context": list(OB_CONTEXTS),
        "id": issuer.url(f"credentials/{credential_id}"),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer.profile(),
        "validFrom": timestamp(issued_at),
        "awardedDate": timestamp(certificate.awarded_at),
        "name": bilingual(program.name_zh, program.name),
        "credentialSubject": subject,
    }
    if status is not None:
        credential["credentialStatus"] = status_entry(status)
    return credential


def result_achievement(result: CertifiedResult, issuer: Issuer) -> dict[str, Any]:
    """A certified learning outcome as an OB 3.0 `Achievement`."""
    approval, kind = result.approval, result.credential_type
    if kind is not None:
        name = bilingual(kind.name_zh, kind.name)
        description = bilingual(
            f"由{kind.authority}颁发，{approval.achieved_on.isoformat()} 取得",
            f"Issued by {kind.authority}, achieved on {approval.achieved_on.isoformat()}",
        )
    else:
        name = approval.credential_code or approval.kind
        description = f"{approval.kind}, achieved on {approval.achieved_on.isoformat()}"
    achievement: dict[str, Any] = {
        "id": issuer.url(f"achievements/outcomes/{approval.outcome_id}"),
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPES.get(approval.kind, "Achievement"),
        "name": name,
        "description": description,
        "criteria": {
            "narrative": bilingual(
                "经学分银行审核认证的学习成果", "A learning outcome certified by the credit bank"
            )
        },
    }
    if approval.credential_code is not None:
        achievement["humanCode"] = approval.credential_code
    return achievement


def conversion_achievement(converted: ConvertedCourse, issuer: Issuer) -> dict[str, Any]:
    """A conversion as an OB 3.0 `Achievement`: the course (code, name, major) and its
    credits, aligned to the rule (and its version) it came under."""
    conversion, course, major = converted.conversion, converted.course, converted.major
    if conversion.course_code != course.code or course.major_code != major.code:
        raise ValueError(f"conversion {conversion.id} names another course or major")
    credits = f"{conversion.credits}"
    rule = f"{conversion.rule_id}"
    version = conversion.rule_version
    return {
        "id": issuer.url(f"achievements/conversions/{conversion.id}"),
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": bilingual(course.name_zh, course.name),
        "description": bilingual(
            f"{major.name_zh or major.name}专业课程 {course.code}，{credits} 学分",
            f"Course {course.code} of the {major.name} major, {credits} credits",
        ),
        "criteria": {
            "narrative": bilingual(
                f"依据转换规则 {rule} 第 {version} 版，由经认证的学习成果换算",
                f"Converted from a certified learning outcome under conversion rule {rule},"
                f" version {version}",
            )
        },
        "humanCode": course.code,
        "fieldOfStudy": bilingual(major.name_zh, major.name),
        "creditsAvailable": json_number(conversion.credits),
        "alignment": [
            {
                "type": ["Alignment"],
                "targetType": "ext:ConversionRule",
                "targetName": bilingual(
                    f"转换规则 {rule} 第 {version} 版", f"Conversion rule {rule}, version {version}"
                ),
                "targetCode": f"{rule}@{version}",
                "targetUrl": issuer.url(f"rules/{rule}/versions/{version}"),
            }
        ],
    }


def _day(day: date | None) -> str | None:
    return None if day is None else f"{day.isoformat()}T00:00:00Z"


def conversion_credential(
    converted: ConvertedCourse,
    achievement: dict[str, Any],
    learner: Learner,
    issuer: Issuer,
) -> dict[str, Any]:
    """The embedded `AchievementCredential` that says the learner earned a conversion's
    credits (valid from the conversion, until its credits expire)."""
    conversion = converted.conversion
    credential: dict[str, Any] = {
        "@context": list(OB_CONTEXTS),
        "id": urn_uuid(conversion.id),
        "type": ["VerifiableCredential", "AchievementCredential"],
        "issuer": issuer.profile(),
        "validFrom": timestamp(conversion.converted_at),
        "name": achievement["name"],
        "credentialSubject": {
            **subject_identity(learner),
            "type": ["AchievementSubject"],
            "achievement": achievement,
            "creditsEarned": json_number(conversion.credits),
        },
    }
    until = _day(conversion.expires_on)
    if until is not None:
        credential["validUntil"] = until
    return credential


def clr(
    learner: Learner,
    conversions: Sequence[ConvertedCourse],
    results: Sequence[CertifiedResult],
    certificates: Sequence[Mapping[str, Any]],
    issuer: Issuer,
    issued_at: datetime,
    credential_id: str,
    status: StatusEntry | None = None,
) -> dict[str, Any]:
    """A learner's transcript as a CLR 2.0 `ClrCredential` (unsigned).

    `certificates` are the learner's certificates' OB credentials (`open_badge`'s,
    signed or not), embedded as they are."""
    for converted in conversions:
        if converted.conversion.learner_id != learner.id:
            raise ValueError(f"conversion {converted.conversion.id} is not the learner's")
    for result in results:
        if result.approval.learner_id != learner.id:
            raise ValueError(f"outcome {result.approval.outcome_id} is not the learner's")
    if not conversions and not certificates:
        raise ValueError("a transcript needs at least one conversion or certificate")
    by_outcome = {
        result.approval.outcome_id: result_achievement(result, issuer) for result in results
    }
    courses = [conversion_achievement(converted, issuer) for converted in conversions]
    associations = [
        {
            "type": "Association",
            "associationType": "isRelatedTo",
            "sourceId": achievement["id"],
            "targetId": by_outcome[converted.conversion.outcome_id]["id"],
        }
        for converted, achievement in zip(conversions, courses, strict=True)
        if converted.conversion.outcome_id in by_outcome
    ]
    subject: dict[str, Any] = {
        **subject_identity(learner),
        "type": ["ClrSubject"],
        "verifiableCredential": [
            *(dict(certificate) for certificate in certificates),
            *(
                conversion_credential(converted, achievement, learner, issuer)
                for converted, achievement in zip(conversions, courses, strict=True)
            ),
        ],
        "achievement": [*by_outcome.values(), *courses],
    }
    if associations:
        subject["association"] = associations
    credential: dict[str, Any] = {
        "@context": list(CLR_CONTEXTS),
        "id": issuer.url(f"credentials/{credential_id}"),
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": issuer.profile(),
        "validFrom": timestamp(issued_at),
        "name": bilingual("学分银行成绩单", "Credit Bank transcript"),
        "credentialSubject": subject,
    }
    if status is not None:
        credential["credentialStatus"] = status_entry(status)
    return credential
