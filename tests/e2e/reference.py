"""What the e2e modules share of the reference story (Chongqing Academic Credit Bank)."""

from __future__ import annotations

from typing import Any


def certificate(code: str, title: str, evidence_id: str) -> dict[str, Any]:
    """The `addResult` input of one of the story's qualification certificates (the
    credential `code`, named `title`), with its scan `evidence_id`."""
    return {
        "kind": "QUALIFICATION_CERTIFICATE",
        "title": title,
        "issuer": "Chongqing Municipal Education Commission",
        "credentialCode": code,
        "achievedOn": "2024-06-30",
        "evidenceIds": [evidence_id],
    }
