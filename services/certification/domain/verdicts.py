"""What a reviewer's decision must say: a reason, a confirmed credential code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cbkit.errors import Refusal
from services.certification.domain.cases import Case, Decision

CREDENTIAL_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,63}$")
MAX_REASON = 2000


@dataclass(frozen=True)
class Verdict:
    """What a reviewer decided, as they said it."""

    decision: Decision
    reason: str | None = None
    verified_credential_code: str | None = None


def normalize_code(code: str | None) -> str | None:
    cleaned = (code or "").strip().upper()
    if not cleaned:
        return None
    if not CREDENTIAL_CODE.match(cleaned):
        raise Refusal(
            "a credential code is letters, digits, '.', '_' or '-', at most 64 characters",
            field="verifiedCredentialCode",
            zh="证书代码只能由字母、数字、“.”、“_”或“-”组成，最多 64 个字符",
        )
    return cleaned


def verified_code(case: Case, given: str | None) -> str | None:
    """On approval the reviewer names the credential type the evidence proves.

    Where the outcome claims a code the reviewer must confirm it explicitly (the
    same code or the one the evidence really proves): approving a claim
    unchecked is what review exists to prevent. Where it claims none, a code is
    optional and conversion goes by kind and hours.
    """
    code = normalize_code(given)
    if code is None and case.credential_code:
        raise Refusal(
            f"confirm the credential type the evidence proves"
            f" (the outcome claims {case.credential_code})",
            field="verifiedCredentialCode",
            zh=f"请确认证据所证明的证书类型（该成果声称为 {case.credential_code}）",
        )
    return code


def code_for(case: Case, verdict: Verdict) -> str | None:
    """The credential code the decision verifies: only an approval verifies one."""
    if verdict.decision is Decision.APPROVE:
        return verified_code(case, verdict.verified_credential_code)
    if normalize_code(verdict.verified_credential_code) is not None:
        raise Refusal(
            "only an approval verifies a credential code",
            field="verifiedCredentialCode",
            zh="只有批准时才能确认证书代码",
        )
    return None


def reason_for(decision: Decision, reason: str | None) -> str | None:
    cleaned = (reason or "").strip() or None
    if cleaned is None and decision is not Decision.APPROVE:
        raise Refusal(
            f"{decision.value} needs a reason the learner can act on",
            field="reason",
            zh=f"{decision.value} 需要给出学习者可据以处理的理由",
        )
    if cleaned and len(cleaned) > MAX_REASON:
        raise Refusal(
            f"a reason is at most {MAX_REASON} characters",
            field="reason",
            zh=f"理由最多 {MAX_REASON} 个字符",
        )
    return cleaned
