"""Events certification consumes, read into the domain's terms."""

from __future__ import annotations

from datetime import date, datetime

from cbkit.consumer import Handler
from cbkit.db import Connection
from cbkit.envelope import Event
from services.certification import domain, repository
from services.certification.calendar import WorkingCalendar


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
        submitted_at=datetime.fromisoformat(data.get("submittedAt") or event.time.isoformat()),
    )


def handlers(calendar: WorkingCalendar) -> dict[str, Handler]:
    async def on_outcome_submitted(conn: Connection, event: Event) -> None:
        case = domain.open_case(submitted_outcome(event), calendar)
        await repository.insert_case(conn, case)

    return {"outcome.submitted": on_outcome_submitted}
