"""The outcomes domain: results, their evidence and their status; no I/O."""

from services.outcomes.domain.evidence import (
    MAX_EVIDENCE_BYTES,
    TooLarge,
    UnsupportedMediaType,
    check_size,
    clean_filename,
    sniff,
)
from services.outcomes.domain.results import (
    ACTIVE,
    EvidenceFile,
    Holdings,
    NewResult,
    Outcome,
    OutcomeKind,
    OutcomeStatus,
    choose_evidence,
    require_evidence,
    submit,
    validate,
    validate_note,
)
from services.outcomes.domain.status import (
    CertificationStep,
    Progress,
    follow,
    resubmit,
    withdraw,
)

__all__ = [
    "ACTIVE",
    "MAX_EVIDENCE_BYTES",
    "CertificationStep",
    "EvidenceFile",
    "Holdings",
    "NewResult",
    "Outcome",
    "OutcomeKind",
    "OutcomeStatus",
    "Progress",
    "TooLarge",
    "UnsupportedMediaType",
    "check_size",
    "choose_evidence",
    "clean_filename",
    "follow",
    "require_evidence",
    "resubmit",
    "sniff",
    "submit",
    "validate",
    "validate_note",
    "withdraw",
]
