"""The rules without I/O: evidence choice, status moves, file recognition."""

from datetime import date

import pytest

from cbkit.errors import Conflict, Refusal
from services.outcomes import domain
from services.outcomes.domain import (
    CertificationStep,
    EvidenceFile,
    Holdings,
    OutcomeStatus,
    Progress,
)

S = OutcomeStatus
ME = "learner-1"
NONE_HELD = Holdings(attached={}, hashes={})


def file(i: str, owner: str = ME, sha: str | None = None) -> EvidenceFile:
    return EvidenceFile(i, owner, f"{i}.pdf", "application/pdf", 10, sha or f"sha-{i}")


def test_the_chosen_files_keep_the_order_asked():
    found = {"a": file("a"), "b": file("b")}
    chosen = domain.choose_evidence(ME, ["b", "a"], found, NONE_HELD)
    assert [f.id for f in chosen] == ["b", "a"]


@pytest.mark.parametrize(
    ("requested", "found", "held", "words"),
    [
        (["x"], {}, NONE_HELD, "not one of your uploads"),
        (["a"], {"a": file("a", owner="other")}, NONE_HELD, "not one of your uploads"),
        (["a", "a"], {"a": file("a")}, NONE_HELD, "more than once"),
        (["a"], {"a": file("a")}, Holdings({"a": "Old"}, {}), "already attached"),
        (["a"], {"a": file("a")}, Holdings({}, {"sha-a": "Old"}), "duplicate deposit"),
        (["a", "b"], {"a": file("a", sha="s"), "b": file("b", sha="s")}, NONE_HELD, "duplicate"),
        ([str(i) for i in range(11)], {str(i): file(str(i)) for i in range(11)}, NONE_HELD, "10"),
    ],
)
def test_evidence_refusals_name_the_field(requested, found, held, words):
    with pytest.raises(Refusal) as refused:
        domain.choose_evidence(ME, requested, found, held)
    assert refused.value.field == "evidenceIds"
    assert words in refused.value.message


def test_a_resubmission_keeps_what_the_result_holds_once():
    held = Holdings({"a": "Mine"}, {"sha-a": "Mine"})  # the result itself holds a
    found = {"a": file("a"), "b": file("b")}
    chosen = domain.choose_evidence(ME, ["a", "b", "a"], found, held, already=[file("a")])
    assert [f.id for f in chosen] == ["b"]
    assert domain.choose_evidence(ME, ["a"], found, held, already=[file("a")]) == ()
    full = [file(str(i)) for i in range(10)]
    assert domain.choose_evidence(ME, ["3"], {"3": full[3]}, NONE_HELD, full) == ()
    with pytest.raises(Refusal, match="at most 10"):
        domain.choose_evidence(ME, ["3", "b"], found | {"3": full[3]}, NONE_HELD, full)
    with pytest.raises(Refusal, match="not one of your uploads"):
        domain.choose_evidence(ME, ["a", "x"], found, held, already=[file("a")])
    with pytest.raises(Refusal, match="same content"):
        domain.choose_evidence(
            ME, ["b"], {"b": file("b", sha="s")}, NONE_HELD, [file("a", sha="s")]
        )


@pytest.mark.parametrize(
    ("status", "step", "sequence", "expected"),
    [
        (S.SUBMITTED, CertificationStep.CLAIMED, 2, S.IN_REVIEW),
        (S.IN_REVIEW, CertificationStep.INFO_REQUESTED, 3, S.NEEDS_INFO),
        (S.IN_REVIEW, CertificationStep.APPROVED, 3, S.CERTIFIED),
        (S.IN_REVIEW, CertificationStep.REJECTED, 3, S.REJECTED),
        (S.SUBMITTED, CertificationStep.APPROVED, 9, S.CERTIFIED),
        (S.WITHDRAWN, CertificationStep.CLAIMED, 9, S.WITHDRAWN),
        (S.WITHDRAWN, CertificationStep.INFO_REQUESTED, 9, S.WITHDRAWN),
        (S.WITHDRAWN, CertificationStep.REJECTED, 9, S.REJECTED),
    ],
)
def test_a_newer_certification_step_shows(status, step, sequence, expected):
    assert domain.follow(Progress(status, 1), step, sequence) == Progress(expected, sequence)


@pytest.mark.parametrize("sequence", [1, 2])
def test_a_repeated_or_older_step_changes_nothing(sequence):
    assert domain.follow(Progress(S.CERTIFIED, 2), CertificationStep.CLAIMED, sequence) is None


def test_the_learner_moves():
    assert domain.resubmit(S.NEEDS_INFO) is S.SUBMITTED
    for status in (S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO):
        assert domain.withdraw(status) is S.WITHDRAWN
    for status in set(S) - {S.NEEDS_INFO}:
        with pytest.raises(Conflict, match=status.value):
            domain.resubmit(status)
    for status in (S.CERTIFIED, S.REJECTED, S.WITHDRAWN):
        with pytest.raises(Conflict, match=status.value):
            domain.withdraw(status)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.4\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff\xdb", "image/jpeg"),
    ],
)
def test_files_are_recognised_by_content(head, expected):
    assert domain.sniff(head) == expected


@pytest.mark.parametrize("head", [b"\x7fELF\x02", b"MZ\x90\x00", b"GIF89a", b"PK\x03\x04", b""])
def test_anything_else_is_unsupported(head):
    with pytest.raises(domain.UnsupportedMediaType):
        domain.sniff(head)


def test_sizes():
    domain.check_size(domain.MAX_EVIDENCE_BYTES)
    with pytest.raises(domain.TooLarge):
        domain.check_size(domain.MAX_EVIDENCE_BYTES + 1)
    with pytest.raises(Refusal, match="empty"):
        domain.check_size(0)


def test_file_names_lose_paths_and_control_characters():
    assert domain.clean_filename("C:\\Users\\li\\证书.pdf") == "证书.pdf"
    assert domain.clean_filename("a\r\nb.pdf") == "ab.pdf"
    assert domain.clean_filename("../") == "evidence"
    assert len(domain.clean_filename("x" * 999)) == 255


def test_fields_are_cleaned_and_checked():
    result = domain.NewResult(
        domain.OutcomeKind.WORK_EXPERIENCE, " a  b ", "c", " cn-x ", date(2020, 1, 1), None
    )
    clean = domain.validate(result, today=date(2020, 1, 1))
    assert (clean.title, clean.credential_code) == ("a b", "CN-X")
    with pytest.raises(Refusal) as refused:
        domain.validate(result, today=date(2019, 12, 31))
    assert refused.value.field == "achievedOn"
