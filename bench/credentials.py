"""Signing and verifying the bank's credentials: a learner's transcript as a CLR 2.0
`ClrCredential` with ACHIEVEMENTS achievements (200), and one certificate as an OB 3.0
`OpenBadgeCredential`, each canonicalized (RDFC-1.0 by PyLD), signed and verified with
`eddsa-rdfc-2022` (cbkit/vc), RUNS times (10); reports the median and the slowest in ms.
The documents are the conversion tests' samples (services/conversion/tests/samples.py).

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
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cbkit.vc.did import key_id
from cbkit.vc.proof import canonicalize, sign, verify
from services.conversion.domain.credentials import clr
from services.conversion.tests.samples import ISSUED, ISSUER, TEACHER, certificate, record


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
    badge = certificate()
    conversions, results = record(achievements)
    transcript = clr(TEACHER, conversions, results, [badge], ISSUER, ISSUED, "t-1")
    count = len(transcript["credentialSubject"]["achievement"])
    print(f"{count} achievements in the transcript, {runs} runs each; median / slowest ms")
    for name, document in (("certificate (OB 3.0)", badge), ("transcript (CLR 2.0)", transcript)):
        signed = sign(document, key, method, ISSUED)
        assert verify(signed, key.public_key()).verified
        quads = canonicalize(document).count("\n")
        print(f"  {name}: {quads} N-Quads")
        for step, work in (
            ("canonicalize", lambda d=document: canonicalize(d)),
            ("sign", lambda d=document: sign(d, key, method, ISSUED)),
            ("verify", lambda s=signed: verify(s, key.public_key())),
        ):
            median, slowest = timed(runs, work)
            print(f"    {step:<13} {median:8.1f} {slowest:8.1f}")


if __name__ == "__main__":
    main()
