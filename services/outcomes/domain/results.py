"""Learning outcomes ("results") as the learner deposits them; no I/O."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from enum import Enum

from cbkit import text as bounded
from cbkit.errors import Refusal

MAX_TITLE = 200
MAX_ISSUER = 200
MAX_CREDENTIAL_CODE = 64
MAX_NOTE = 2000
MAX_EVIDENCE_PER_RESULT = 10
OLDEST_YEAR = 1950
ERASED = "[erased]"
"""What stands for a closed account's personal text (titles, issuers, notes)."""


class OutcomeKind(Enum):
    QUALIFICATION_CERTIFICATE = "QUALIFICATION_CERTIFICATE"
    VOCATIONAL_TRAINING = "VOCATIONAL_TRAINING"
    ONLINE_COURSE = "ONLINE_COURSE"
    ACADEMIC_COURSE = "ACADEMIC_COURSE"
    WORK_EXPERIENCE = "WORK_EXPERIENCE"
    OTHER = "OTHER"


class OutcomeStatus(Enum):
    SUBMITTED = "SUBMITTED"
    IN_REVIEW = "IN_REVIEW"
    NEEDS_INFO = "NEEDS_INFO"
    CERTIFIED = "CERTIFIED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


# Certificates and courses are proven by a document; experience may not be.
EVIDENCE_REQUIRED = frozenset(
    {
        OutcomeKind.QUALIFICATION_CERTIFICATE,
        OutcomeKind.VOCATIONAL_TRAINING,
        OutcomeKind.ONLINE_COURSE,
        OutcomeKind.ACADEMIC_COURSE,
    }
)

# A result that holds its evidence: withdrawn and rejected ones release it, so
# the same file may be deposited again.
ACTIVE = frozenset(
    {
        OutcomeStatus.SUBMITTED,
        OutcomeStatus.IN_REVIEW,
        OutcomeStatus.NEEDS_INFO,
        OutcomeStatus.CERTIFIED,
    }
)


@dataclass(frozen=True)
class EvidenceFile:
    id: str
    owner_id: str
    filename: str
    content_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class NewResult:
    kind: OutcomeKind
    title: str
    issuer: str
    credential_code: str | None
    achieved_on: date
    hours: int | None


@dataclass(frozen=True)
class Outcome(NewResult):
    """A result as deposited: what the learner entered, and where it stands."""

    id: str
    learner_id: str
    status: OutcomeStatus
    submitted_at: datetime
    evidence: tuple[EvidenceFile, ...] = ()
    case_sequence: int = 0
    learner_closed: bool = False
    """The learner closed their account: the result is kept for the bank's figures
    (kind, status, dates), its personal text is erased."""


@dataclass(frozen=True)
class Holdings:
    """What the learner's active results already hold, for the evidence rules.

    `attached`: evidence id -> title of the active result holding it;
    `hashes`: SHA-256 -> title of the active result holding a file with that content.
    """

    attached: Mapping[str, str]
    hashes: Mapping[str, str]


# How people read the names of the fields in Chinese.
_FIELD_ZH = {"title": "标题", "issuer": "颁发机构", "note": "说明", "credentialCode": "证书代码"}


def _zh_field(name: str) -> str:
    return f"{name}（{_FIELD_ZH.get(name, name)}）"


def _bounded_text(value: str, name: str, limit: int) -> str:
    return bounded.required(value, name, limit, zh_field=_zh_field(name))


def validate(result: NewResult, today: date) -> NewResult:
    """The result cleaned, or a refusal naming the first field that breaks a rule."""
    title = _bounded_text(result.title, "title", MAX_TITLE)
    issuer = _bounded_text(result.issuer, "issuer", MAX_ISSUER)
    code = (result.credential_code or "").strip().upper() or None
    if code is not None:
        bounded.at_most(
            code, "credentialCode", MAX_CREDENTIAL_CODE, zh_field="credentialCode（证书代码）"
        )
    if result.achieved_on > today:
        raise Refusal(
            "achievedOn must not be in the future",
            field="achievedOn",
            zh="achievedOn（取得日期）不能是将来的日期",
        )
    if result.achieved_on.year < OLDEST_YEAR:
        raise Refusal(
            f"achievedOn must not be before {OLDEST_YEAR}",
            field="achievedOn",
            zh=f"achievedOn（取得日期）不能早于 {OLDEST_YEAR} 年",
        )
    if result.hours is not None and result.hours <= 0:
        raise Refusal(
            "hours must be a positive number", field="hours", zh="hours（学时）必须是正数"
        )
    return replace(result, title=title, issuer=issuer, credential_code=code)


def validate_note(note: str) -> str:
    return _bounded_text(note, "note", MAX_NOTE)


def choose_evidence(
    learner_id: str,
    requested: Sequence[str],
    found: Mapping[str, EvidenceFile],
    holdings: Holdings,
    already: Sequence[EvidenceFile] = (),
) -> tuple[EvidenceFile, ...]:
    """The requested files, in order, once each may join a result of `learner_id`.

    `found` has the files the ids name (any owner); `already` is what the result
    holds before (on resubmission): a file it holds already stays attached, once,
    and is not chosen again. Refusals name `evidenceIds`.
    """
    held = {f.id for f in already}
    fresh = [i for i in requested if i not in held]
    if len(already) + len(set(fresh)) > MAX_EVIDENCE_PER_RESULT:
        raise _evidence_refusal(
            f"a result holds at most {MAX_EVIDENCE_PER_RESULT} evidence files",
            f"一项成果最多附加 {MAX_EVIDENCE_PER_RESULT} 个证明文件",
        )
    chosen: list[EvidenceFile] = []
    for evidence_id in fresh:
        file = found.get(evidence_id)
        if file is None or file.owner_id != learner_id:
            raise _evidence_refusal(
                f"evidence {evidence_id} is not one of your uploads",
                f"证明文件 {evidence_id} 不是您上传的文件",
            )
        problem = _why_not_attach(file, already, chosen, holdings)
        if problem:
            raise _evidence_refusal(*problem)
        chosen.append(file)
    return tuple(chosen)


def _evidence_refusal(message: str, zh: str) -> Refusal:
    return Refusal(f"evidenceIds: {message}", field="evidenceIds", zh=f"evidenceIds：{zh}")


def _why_not_attach(
    file: EvidenceFile,
    already: Sequence[EvidenceFile],
    chosen: Sequence[EvidenceFile],
    holdings: Holdings,
) -> tuple[str, str] | None:
    """What keeps the learner's own `file` from joining the result, if anything (in
    English and in Chinese)."""
    if any(c.id == file.id for c in chosen):
        return (
            f"evidence {file.id} is listed more than once",
            f"证明文件 {file.id} 被列出了不止一次",
        )
    if file.id in holdings.attached:
        title = holdings.attached[file.id]
        return (
            f"evidence {file.id} is already attached to your result {title!r}",
            f"证明文件 {file.id} 已附加到您的成果“{title}”",
        )
    if file.sha256 in holdings.hashes:
        title = holdings.hashes[file.sha256]
        return (
            f"duplicate deposit: {file.filename} has the same content as a file of "
            f"your result {title!r}",
            f"重复提交：{file.filename} 与您的成果“{title}”中的一个文件内容相同",
        )
    twin = next((c for c in (*already, *chosen) if c.sha256 == file.sha256), None)
    if twin is not None:
        return (
            f"duplicate deposit: {file.filename} has the same content as {twin.filename}",
            f"重复提交：{file.filename} 与 {twin.filename} 内容相同",
        )
    return None


def require_evidence(kind: OutcomeKind, evidence_ids: Sequence[str]) -> None:
    if kind in EVIDENCE_REQUIRED and not evidence_ids:
        raise Refusal(
            f"evidenceIds: a {kind.value} result needs at least one evidence file",
            field="evidenceIds",
            zh=f"evidenceIds：{kind.value} 类成果至少需要一个证明文件",
        )


def submit(
    learner_id: str,
    result: NewResult,
    evidence: Sequence[EvidenceFile],
    today: date,
    submitted_at: datetime,
) -> Outcome:
    """The result as deposited at `submitted_at`, which falls on `today` in the bank's
    calendar (an achievement dated later is refused)."""
    clean = validate(result, today)
    require_evidence(clean.kind, [e.id for e in evidence])
    return Outcome(
        id=str(uuid.uuid4()),
        learner_id=learner_id,
        status=OutcomeStatus.SUBMITTED,
        submitted_at=submitted_at,
        evidence=tuple(evidence),
        **asdict(clean),
    )
