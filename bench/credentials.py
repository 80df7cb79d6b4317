"""Signing and verifying the bank's credentials: a learner's transcript as a CLR 2.0
`ClrCredential` with ACHIEVEMENTS achievements (200), and one certificate as an OB 3.0
`OpenBadgeCredential`, each canonicalized (RDFC-1.0 by PyLD), signed and verified with
`eddsa-rdfc-2022` (cbkit/vc), RUNS times (10); reports the median and the slowest in ms.

    .venv/bin/python -m bench.credentials [ACHIEVEMENTS] [RUNS]

Pure CPU in this process: nothing is started. Canonicalization is most of a proof's
cost (it runs on the document and on the proof's options, for signing and again for
verifying), which is why a signed transcript is worth keeping until the record changes.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cbkit.vc.did import did_web, key_id
from cbkit.vc.proof import canonicalize, sign, verify
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
    clr,
    open_badge,
)

PUBLIC = "https://bank.example.cn"
ISSUER = Issuer(did_web(PUBLIC), "重庆学分银行", "Chongqing Credit Bank", PUBLIC)
LEARNER = Learner("0f9d3a52-7c1e-4d8b-9a51-3b2f7e6c1a01")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
MAJOR = Major("PRESCHOOL-EDU", "Preschool Education", Decimal("240"), name_zh="学前教育")


def record(achievements: int) -> tuple[list[ConvertedCourse], list[CertifiedResult]]:
    """Half the achievements certified results, half the conversions made of them."""
    conversions: list[ConvertedCourse] = []
    results: list[CertifiedResult] = []
    for n in range(achievements // 2):
        credential = CredentialType(
            f"CN-CERT-{n:04d}", f"Certificate {n}", "Education Commission", name_zh=f"证书{n}"
        )
        course = Course(
            f"PE-{n:04d}", f"Course {n}", Decimal("2.5"), MAJOR.code, name_zh=f"课程{n}"
        )
        approval = Approval(
            case_id=f"00000000-0000-4000-8000-{n:012d}",
            outcome_id=f"10000000-0000-4000-8000-{n:012d}",
            learner_id=LEARNER.id,
            kind="QUALIFICATION_CERTIFICATE",
            credential_code=credential.code,
            hours=None,
            achieved_on=date(2024, 6, 30),
            decided_at=NOW,
        )
        conversion = Conversion(
            id=f"20000000-0000-4000-8000-{n:012d}",
            outcome_id=approval.outcome_id,
            learner_id=LEARNER.id,
            course_code=course.code,
            major_code=MAJOR.code,
            rule_id=f"30000000-0000-4000-8000-{n:012d}",
            credits=course.credits,
            status=ConversionStatus.ACTIVE,
            converted_at=NOW,
            expires_on=date(2031, 12, 1),
        )
        results.append(CertifiedResult(approval, credential))
        conversions.append(ConvertedCourse(conversion, course, MAJOR))
    return conversions, results


def timed(runs: int, work: Callable[[], Any]) -> tuple[float, float]:
    took = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        took.append((time.perf_counter() - start) * 1000)
    return statistics.median(took), max(took)


def main() -> None:
    achievements = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    key = Ed25519PrivateKey.generate()
    method = key_id(ISSUER.did, 1)
    program = Program("PE-CERT", "Certificate in Preschool Education", ("PE-0000",), None)
    award = Award("CB-2026-000001", program.code, LEARNER.id, awarded_at=NOW)
    badge = open_badge(award, program, LEARNER, ISSUER, NOW, "c-1")
    conversions, results = record(achievements)
    transcript = clr(LEARNER, conversions, results, [badge], ISSUER, NOW, "t-1")
    count = len(transcript["credentialSubject"]["achievement"])
    print(f"{count} achievements in the transcript, {runs} runs each; median / slowest ms")
    for name, document in (("certificate (OB 3.0)", badge), ("transcript (CLR 2.0)", transcript)):
        signed = sign(document, key, method, NOW)
        assert verify(signed, key.public_key()).verified
        quads = canonicalize(document).count("\n")
        print(f"  {name}: {quads} N-Quads")
        for step, work in (
            ("canonicalize", lambda d=document: canonicalize(d)),
            ("sign", lambda d=document: sign(d, key, method, NOW)),
            ("verify", lambda s=signed: verify(s, key.public_key())),
        ):
            median, slowest = timed(runs, work)
            print(f"    {step:<13} {median:8.1f} {slowest:8.1f}")


if __name__ == "__main__":
    main()
