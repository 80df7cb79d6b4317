"""The review state machine: every allowed and refused transition, without I/O."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cbkit.auth import Principal, Role
from cbkit.calendar import WorkingCalendar
from cbkit.errors import Conflict, Forbidden, NotFound, Refusal
from services.certification import domain
from services.certification.domain import CaseStatus, Decision, Verdict

CHINA = WorkingCalendar("CN", 15, ZoneInfo("Asia/Shanghai"))
AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
LEARNER, ALICE, BOB, ADMIN = "learner", "alice", "bob", "admin"


def reviewer(account_id: str, is_admin: bool = False) -> Principal:
    return Principal(account_id, Role.ADMIN if is_admin else Role.REVIEWER)


def pending(credential_code: str | None = "CN-PRESCHOOL-TEACHER") -> domain.Case:
    return domain.open_case(
        domain.SubmittedOutcome(
            outcome_id="o",
            learner_id=LEARNER,
            kind="QUALIFICATION_CERTIFICATE",
            title="Preschool teacher qualification",
            credential_code=credential_code,
            achieved_on=date(2024, 6, 30),
            hours=120,
            submitted_at=datetime(2026, 2, 13, 2, 0, tzinfo=UTC),
        ),
        CHINA,
    )


def held_by(reviewer: str, **changes) -> domain.Case:
    return replace(
        pending(**changes), status=CaseStatus.IN_REVIEW, reviewer_id=reviewer, sequence=2
    )


def in_status(status: CaseStatus) -> domain.Case:
    return replace(pending(), status=status, reviewer_id=ALICE, decided_at=AT, sequence=3)


def test_a_new_case_is_pending_at_sequence_1_with_its_deadline():
    case = pending()
    assert (case.status, case.sequence, case.due_on) == (CaseStatus.PENDING, 1, date(2026, 3, 12))


def test_a_reviewer_claims_a_pending_case():
    change = domain.claim(pending(), reviewer(ALICE), AT)
    assert change is not None
    assert (change.case.status, change.case.reviewer_id, change.case.sequence) == (
        CaseStatus.IN_REVIEW,
        ALICE,
        2,
    )
    assert (change.step.by_id, change.step.at, change.step.note) == (ALICE, AT, "claimed")


def test_claiming_a_case_you_hold_changes_nothing():
    assert domain.claim(held_by(ALICE), reviewer(ALICE), AT) is None


def test_a_reviewer_cannot_take_over_a_case_held_by_another():
    with pytest.raises(Conflict, match="only an admin"):
        domain.claim(held_by(BOB), reviewer(ALICE), AT)


def test_an_admin_takes_over_a_case_held_by_a_reviewer():
    change = domain.claim(held_by(BOB), reviewer(ADMIN, True), AT)
    assert change is not None
    assert change.case.reviewer_id == ADMIN
    assert change.step.note == "taken over from bob"


@pytest.mark.parametrize("is_admin", [False, True])
def test_nobody_reviews_their_own_outcome(is_admin):
    with pytest.raises(Forbidden, match="your own outcome"):
        domain.claim(pending(), reviewer(LEARNER, is_admin), AT)


@pytest.mark.parametrize(
    "status",
    [CaseStatus.NEEDS_INFO, CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN],
)
@pytest.mark.parametrize("is_admin", [False, True])
def test_a_case_not_waiting_on_a_reviewer_cannot_be_claimed(status, is_admin):
    with pytest.raises(Conflict, match=f"a {status.value} case cannot be claimed"):
        domain.claim(in_status(status), reviewer(BOB, is_admin), AT)


def test_approval_confirms_the_credential_type_and_records_the_decision():
    change = domain.decide(
        held_by(ALICE),
        reviewer(ALICE),
        Verdict(Decision.APPROVE, None, " cn-preschool-teacher "),
        AT,
    )
    case = change.case
    assert (case.status, case.verified_credential_code, case.decided_at, case.sequence) == (
        CaseStatus.APPROVED,
        "CN-PRESCHOOL-TEACHER",
        AT,
        3,
    )
    assert change.step.note == "approved as CN-PRESCHOOL-TEACHER"


def test_approval_may_verify_another_credential_type_than_claimed():
    change = domain.decide(
        held_by(ALICE), reviewer(ALICE), Verdict(Decision.APPROVE, "is level 2", "CN-NURSE-2"), AT
    )
    assert change.case.verified_credential_code == "CN-NURSE-2"
    assert change.step.note == "is level 2"


def test_approval_of_a_claimed_credential_needs_the_reviewer_to_confirm_it():
    with pytest.raises(Refusal, match="claims CN-PRESCHOOL-TEACHER") as refused:
        domain.decide(held_by(ALICE), reviewer(ALICE), Verdict(Decision.APPROVE, None, None), AT)
    assert refused.value.field == "verifiedCredentialCode"


def test_approval_of_an_outcome_without_credential_needs_no_code():
    case = held_by(ALICE, credential_code=None)
    change = domain.decide(case, reviewer(ALICE), Verdict(Decision.APPROVE, None, None), AT)
    assert (change.case.status, change.case.verified_credential_code) == (CaseStatus.APPROVED, None)


def test_a_malformed_credential_code_is_refused():
    with pytest.raises(Refusal) as refused:
        domain.decide(
            held_by(ALICE), reviewer(ALICE), Verdict(Decision.APPROVE, None, "not a code!"), AT
        )
    assert refused.value.field == "verifiedCredentialCode"


@pytest.mark.parametrize(
    ("decision", "status"),
    [(Decision.REJECT, CaseStatus.REJECTED), (Decision.REQUEST_INFO, CaseStatus.NEEDS_INFO)],
)
def test_rejection_and_request_for_information_keep_their_reason(decision, status):
    change = domain.decide(
        held_by(ALICE), reviewer(ALICE), Verdict(decision, " scan unreadable ", None), AT
    )
    assert (change.case.status, change.case.reason, change.step.note) == (
        status,
        "scan unreadable",
        "scan unreadable",
    )


@pytest.mark.parametrize("decision", [Decision.REJECT, Decision.REQUEST_INFO])
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_rejection_and_request_for_information_need_a_reason(decision, reason):
    with pytest.raises(Refusal, match="needs a reason") as refused:
        domain.decide(held_by(ALICE), reviewer(ALICE), Verdict(decision, reason, None), AT)
    assert refused.value.field == "reason"


def test_a_rejection_verifies_no_credential():
    with pytest.raises(Refusal) as refused:
        domain.decide(held_by(ALICE), reviewer(ALICE), Verdict(Decision.REJECT, "no", "CN-X"), AT)
    assert refused.value.field == "verifiedCredentialCode"


@pytest.mark.parametrize("decider", [BOB, ADMIN])
def test_only_the_assigned_reviewer_decides(decider):
    with pytest.raises(Forbidden, match="who claimed"):
        domain.decide(
            held_by(ALICE),
            reviewer(decider, decider == ADMIN),
            Verdict(Decision.REJECT, "no", None),
            AT,
        )


@pytest.mark.parametrize(
    "status",
    [
        CaseStatus.PENDING,
        CaseStatus.NEEDS_INFO,
        CaseStatus.APPROVED,
        CaseStatus.REJECTED,
        CaseStatus.WITHDRAWN,
    ],
)
def test_only_a_case_in_review_is_decided(status):
    with pytest.raises(Conflict, match=f"this one is {status.value}"):
        domain.decide(in_status(status), reviewer(ALICE), Verdict(Decision.REJECT, "no", None), AT)


def test_resubmission_reopens_a_case_waiting_for_information_with_a_fresh_deadline():
    asked = domain.decide(
        held_by(ALICE), reviewer(ALICE), Verdict(Decision.REQUEST_INFO, "need scan", None), AT
    ).case
    answered_at = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)
    change = domain.resubmit(asked, answered_at, "scan attached", CHINA)
    assert change is not None
    case = change.case
    assert (case.status, case.reviewer_id, case.reason, case.decided_at) == (
        CaseStatus.PENDING,
        None,
        None,
        None,
    )
    assert case.due_on == date(2026, 10, 27)
    assert case.sequence == 4
    assert (change.step.by_id, change.step.note) == (LEARNER, "scan attached")


@pytest.mark.parametrize(
    "status",
    [
        CaseStatus.PENDING,
        CaseStatus.IN_REVIEW,
        CaseStatus.APPROVED,
        CaseStatus.REJECTED,
        CaseStatus.WITHDRAWN,
    ],
)
def test_resubmission_changes_nothing_unless_information_was_asked(status):
    assert domain.resubmit(in_status(status), AT + timedelta(days=1), None, CHINA) is None


def test_a_resubmission_older_than_the_request_for_information_is_stale():
    asked = in_status(CaseStatus.NEEDS_INFO)
    assert domain.resubmit(asked, AT - timedelta(minutes=1), None, CHINA) is None


@pytest.mark.parametrize(
    "status", [CaseStatus.PENDING, CaseStatus.IN_REVIEW, CaseStatus.NEEDS_INFO]
)
def test_withdrawal_closes_a_case_still_open(status):
    change = domain.withdraw(in_status(status), AT)
    assert change is not None
    assert (change.case.status, change.step.by_id) == (CaseStatus.WITHDRAWN, LEARNER)


@pytest.mark.parametrize("status", [CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN])
def test_withdrawal_leaves_a_final_case_alone(status):
    assert domain.withdraw(in_status(status), AT) is None


def test_a_decision_is_on_time_up_to_the_end_of_the_due_day_in_beijing():
    case = replace(pending(), decided_at=datetime(2026, 3, 12, 15, 59, tzinfo=UTC))
    assert domain.decided_on_time(case, CHINA) is True
    late = replace(case, decided_at=datetime(2026, 3, 12, 16, 0, tzinfo=UTC))
    assert domain.decided_on_time(late, CHINA) is False


@pytest.mark.parametrize(
    "status", [CaseStatus.PENDING, CaseStatus.IN_REVIEW, CaseStatus.NEEDS_INFO]
)
def test_closing_the_account_withdraws_a_case_not_yet_final(status):
    case = in_status(status)
    change = domain.close_for_learner(case, AT)
    assert change is not None
    assert (change.case.status, change.case.sequence) == (CaseStatus.WITHDRAWN, case.sequence + 1)
    assert change.step == domain.Step(
        CaseStatus.WITHDRAWN, None, AT, "withdrawn: the learner closed their account"
    )


@pytest.mark.parametrize("status", [CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN])
def test_closing_the_account_leaves_a_final_case_as_it_is(status):
    assert domain.close_for_learner(in_status(status), AT) is None


def test_a_closed_learners_case_is_not_found_but_by_admins():
    closed = replace(pending(), learner_closed_at=AT)
    for caller in (Principal(LEARNER, Role.LEARNER), reviewer(ALICE)):
        with pytest.raises(NotFound) as refused:
            domain.access.require_learner_present(caller, closed, "id")
        assert refused.value.zh
    domain.access.require_learner_present(reviewer(ADMIN, is_admin=True), closed, "id")
    domain.access.require_learner_present(reviewer(ALICE), pending(), "id")


def test_the_queue_filter_narrows_by_what_is_asked_and_what_the_policy_says():
    alice = reviewer(ALICE)
    admin = reviewer(ADMIN, is_admin=True)
    assert domain.queue_filter(admin) == domain.QueueFilter(statuses=domain.OPEN)
    asked = domain.queue_filter(alice, mine=True, kind=domain.OutcomeKind.ONLINE_COURSE)
    assert (asked.claimed_by, asked.kind, asked.visible_to, asked.hide_closed) == (
        ALICE,
        domain.OutcomeKind.ONLINE_COURSE,
        ALICE,
        True,
    )
    done = domain.queue_filter(admin, status=CaseStatus.APPROVED, overdue_before=date(2026, 3, 2))
    assert done.empty  # only open cases are overdue
    overdue = domain.queue_filter(admin, status=CaseStatus.PENDING, overdue_before=date(2026, 3, 2))
    assert (overdue.statuses, overdue.due_before) == (
        frozenset({CaseStatus.PENDING}),
        date(2026, 3, 2),
    )


def test_a_case_held_by_a_reviewer_who_closed_their_account_waits_again():
    case = held_by(ALICE)
    change = domain.release(case, ALICE, AT)
    assert change is not None
    assert (change.case.status, change.case.reviewer_id, change.case.due_on) == (
        CaseStatus.PENDING,
        None,
        case.due_on,
    )
    assert domain.release(held_by(BOB), ALICE, AT) is None
    assert domain.release(in_status(CaseStatus.APPROVED), ALICE, AT) is None
