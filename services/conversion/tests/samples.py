"""The reference story's credentials built as the conversion service builds them, from
fixed inputs: the teacher's certificate (OB 3.0) and her transcript (CLR 2.0), and a
record of any number of achievements. The documents' tests check them; bench/credentials
times signing and verifying them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from services.conversion.domain import (
    Approval,
    Award,
    Conversion,
    ConversionStatus,
    Course,
    CredentialType,
    Major,
    Program,
)
from services.conversion.domain.credentials import (
    CertifiedResult,
    ConvertedCourse,
    Issuer,
    Learner,
    StatusEntry,
    clr,
    open_badge,
)

PUBLIC = "https://bank.example.cn"
ISSUER = Issuer(
    did="did:web:bank.example.cn",
    name_zh="重庆学分银行",
    name_en="Chongqing Credit Bank",
    public_url=PUBLIC,
)
TEACHER = Learner(
    id="0f9d3a52-7c1e-4d8b-9a51-3b2f7e6c1a01", email="Teacher@Example.cn", salt="s4lt"
)
ISSUED = datetime(2026, 12, 1, 19, 0, 30, 123456, tzinfo=UTC)

MAJOR = Major("PRESCHOOL-EDU", "Preschool Education", Decimal("24"), name_zh="学前教育")
MANAGEMENT = Course(
    "PE-TRWM",
    "Teaching and research work management",
    Decimal("3.0"),
    "PRESCHOOL-EDU",
    name_zh="教研工作管理",
)
GAME = Course(
    "PE-CGADO",
    "Children's game activity design and organization",
    Decimal("2.5"),
    "PRESCHOOL-EDU",
    name_zh="幼儿游戏活动设计与组织",
)
PROGRAM = Program(
    "PE-KINDERGARTEN-MANAGEMENT",
    "Certificate in Kindergarten Management and Play-based Teaching",
    ("PE-TRWM", "PE-CGADO"),
    None,
    name_zh="幼儿园管理与游戏化教学证书",
)
PRINCIPAL = CredentialType(
    "CN-KINDERGARTEN-PRINCIPAL",
    "Kindergarten principal qualification certificate",
    "Chongqing Municipal Education Commission",
    name_zh="幼儿园园长资格证",
)
TEACHER_CERT = CredentialType(
    "CN-PRESCHOOL-TEACHER",
    "Preschool teacher qualification certificate",
    "Ministry of Education of the People's Republic of China",
    name_zh="幼儿园教师资格证",
)
AWARD = Award(
    serial="CB-2026-000001",
    program_code=PROGRAM.code,
    learner_id=TEACHER.id,
    awarded_at=datetime(2026, 11, 30, 9, 15, tzinfo=UTC),
)


def approval(n: int, credential: CredentialType, achieved_on: date) -> Approval:
    return Approval(
        case_id=f"00000000-0000-4000-8000-{n:012d}",
        outcome_id=f"10000000-0000-4000-8000-{n:012d}",
        learner_id=TEACHER.id,
        kind="QUALIFICATION_CERTIFICATE",
        credential_code=credential.code,
        hours=None,
        achieved_on=achieved_on,
        decided_at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
    )


def converted(n: int, result: Approval, course: Course) -> ConvertedCourse:
    conversion = Conversion(
        id=f"20000000-0000-4000-8000-{n:012d}",
        outcome_id=result.outcome_id,
        learner_id=TEACHER.id,
        course_code=course.code,
        major_code=MAJOR.code,
        rule_id=f"6c0b7f3e-2f55-4f3a-9d2a-5d1f0b1a{n:04d}",
        credits=course.credits,
        status=ConversionStatus.ACTIVE,
        converted_at=datetime(2026, 11, 30, 9, 10, tzinfo=UTC),
        expires_on=date(2031, 11, 30),
    )
    return ConvertedCourse(conversion, course, MAJOR)


def certificate() -> dict[str, Any]:
    return open_badge(
        AWARD,
        PROGRAM,
        TEACHER,
        ISSUER,
        ISSUED,
        "7d4e2f10-1c2b-4a5d-8e6f-000000000001",
        StatusEntry(f"{PUBLIC}/credentials/status/1", 42),
        courses={c.code: c for c in (MANAGEMENT, GAME)},
        credits_earned=Decimal("5.5"),
    )


def story() -> tuple[list[ConvertedCourse], list[CertifiedResult]]:
    principal = approval(1, PRINCIPAL, date(2023, 3, 1))
    teaching = approval(2, TEACHER_CERT, date(2022, 9, 10))
    conversions = [converted(1, principal, MANAGEMENT), converted(2, teaching, GAME)]
    results = [CertifiedResult(principal, PRINCIPAL), CertifiedResult(teaching, TEACHER_CERT)]
    return conversions, results


def transcript() -> dict[str, Any]:
    conversions, results = story()
    return clr(TEACHER, conversions, results, [certificate()], ISSUER, ISSUED, "transcripts/1")


def record(achievements: int) -> tuple[list[ConvertedCourse], list[CertifiedResult]]:
    """A record of `achievements` achievements: half certified results, half the
    conversions made of them."""
    results: list[CertifiedResult] = []
    conversions: list[ConvertedCourse] = []
    for n in range(achievements // 2):
        credential, course = (PRINCIPAL, MANAGEMENT) if n % 2 else (TEACHER_CERT, GAME)
        result = approval(n, credential, date(2020, 1, 1))
        results.append(CertifiedResult(result, credential))
        conversions.append(converted(n, result, course))
    return conversions, results
