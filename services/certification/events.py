"""Events out (certification.*) and in (outcome.*): builders, readers and handlers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from cbkit.consumer import Handler
from cbkit.db import Connection
from cbkit.envelope import Event
from services.certification import domain, repository
from services.certification.calendar import WorkingCalendar
from services.certification.domain import Case, Decision

SOURCE = "/services/certification"

DECISION_EVENTS = {
    Decision.APPROVE: "certification.approved",
    Decision.REJECT: "certification.rejected",
    Decision.REQUEST_INFO: "certification.info_requested",
}


def _event(routing_key: str, case: Case, data: dict[str, Any]) -> Event:
    return Event(
        routing_key=routing_key,
        source=SOURCE,
        subject=case.learner_id,
        data={"caseId": case.id, "outcomeId": case.outcome_id, "learnerId": case.learner_id} | data,
    )


def claimed(case: Case, at: datetime) -> Event:
    return _event(
        "certification.claimed",
        case,
        {"reviewerId": case.reviewer_id, "sequence": case.sequence, "at": at.isoformat()},
    )


def decided(case: Case, decision: Decision) -> Event:
    """Everything outcomes and conversion need, so neither calls back."""
    assert case.decided_at is not None
    return _event(
        DECISION_EVENTS[decision],
        case,
        {
            "reviewerId": case.reviewer_id,
            "kind": case.kind,
            "credentialCode": case.verified_credential_code,
            "claimedCredentialCode": case.credential_code,
            "hours": case.hours,
            "achievedOn": case.achieved_on.isoformat(),
            "decidedAt": case.decided_at.isoformat(),
            "reason": case.reason,
            "dueOn": case.due_on.isoformat(),
            "sequence": case.sequence,
        },
    )


def overdue(case: Case) -> Event:
    return _event(
        "certification.overdue",
        case,
        {"reviewerId": case.reviewer_id, "dueOn": case.due_on.isoformat()},
    )


def _instant(data: dict[str, Any], name: str, event: Event) -> datetime:
    value = data.get(name)
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else event.time


def submitted_outcome(event: Event) -> domain.SubmittedOutcome:
    data = event.data
    return domain.SubmittedOutcome(
        outcome_id=data["outcomeId"],
        learner_id=data["learnerId"],
        kind=data["kind"],
        title=data["title"],
        credential_code=data.get("credentialCode"),
        achieved_on=date.fromisoformat(data["achievedOn"]),
        hours=data.get("hours"),
        submitted_at=_instant(data, "submittedAt", event),
    )


def resubmitted_at(event: Event) -> datetime:
    return _instant(event.data, "resubmittedAt", event)


def withdrawn_at(event: Event) -> datetime:
    return _instant(event.data, "withdrawnAt", event)


def handlers(calendar: WorkingCalendar) -> dict[str, Handler]:
    """Outcome events, each idempotent and safe to receive twice or out of order."""

    async def on_submitted(conn: Connection, event: Event) -> None:
        outcome = submitted_outcome(event)
        await repository.insert_case(
            conn, domain.open_case(outcome, calendar), outcome.submitted_at
        )

    async def on_resubmitted(conn: Connection, event: Event) -> None:
        case = await repository.case_for_outcome_update(conn, event.data["outcomeId"])
        if case is None:
            return
        change = domain.resubmit(case, resubmitted_at(event), event.data.get("note"), calendar)
        if change is not None:
            await repository.save_change(conn, case, change)

    async def on_withdrawn(conn: Connection, event: Event) -> None:
        at = withdrawn_at(event)
        await repository.remember_withdrawal(conn, event.data["outcomeId"], at)
        case = await repository.case_for_outcome_update(conn, event.data["outcomeId"])
        change = domain.withdraw(case, at) if case else None
        if case and change:
            await repository.save_change(conn, case, change)

    return {
        "outcome.submitted": on_submitted,
        "outcome.resubmitted": on_resubmitted,
        "outcome.withdrawn": on_withdrawn,
    }
