"""E-mail: a message goes by e-mail too when its account's preferences name an address
and its kind. It is queued in the transaction that stores the message, to that address
in the preferred language; the `email` job sends what is due (as its message reads
then), a batch per run, retrying a failure with back-off until a day has passed (then
it is marked failed). With CB_SMTP_URL unset nothing is queued, and there is no job."""

from __future__ import annotations

import logging
from datetime import timedelta

from cbkit.db import Connection
from cbkit.jobs import PeriodicJob
from services.notifications.adapters.smtp import ATTEMPTS, Refused, SendError
from services.notifications.domain import Message
from services.notifications.domain.email import Email, letter, queued, retry_at
from services.notifications.repository import email, preferences
from services.notifications.service_layer.dependencies import Dependencies

log = logging.getLogger(__name__)

JOB = "email"
"""Its interval is CB_JOB_EMAIL_SECONDS."""
INTERVAL_SECONDS = 5.0
BATCH = 50
"""At most this many e-mails are sent per run."""


async def queue(conn: Connection, deps: Dependencies, message: Message) -> None:
    """Queue the e-mail of a newly stored `message` when its account wants its kind by
    e-mail (and an SMTP server is configured), in the caller's transaction."""
    if deps.mailer is None:
        return
    chosen = await preferences.of(conn, message.account_id)
    if chosen.email is None or not chosen.emails(message.kind):
        return
    language = chosen.language.language
    await email.queue(conn, queued(message, chosen.email, language, deps.clock.now()))


async def send_due(conn: Connection, deps: Dependencies, limit: int = BATCH) -> int:
    """Send the e-mails due now (at most `limit`), each marked sent, due again later,
    or failed; how many were sent. They are claimed in a transaction of their own first,
    out of other senders' reach for as long as the batch's timeouts can last (so only a
    sender that stopped mid-batch leaves one to be sent again), and two replicas never
    send the same one. A server out of reach fails the rest of the batch untried."""
    mailer = deps.mailer
    if mailer is None:
        return 0
    lease = timedelta(seconds=limit * (mailer.connect_timeout + mailer.send_timeout))
    async with conn.transaction():
        due = await email.claim_due(conn, deps.clock.now(), limit, lease)
    sent = 0
    unreachable: Exception | None = None
    async with mailer.session() as session:
        for mail in due:
            if unreachable is not None:
                await _not_sent(conn, deps, mail, unreachable)
                continue
            try:
                await session.send(mail, letter(mail, mailer.public_url), deps.clock.now())
            except SendError as error:
                await _not_sent(conn, deps, mail, error)
                if not isinstance(error, Refused):
                    unreachable = error
            else:
                await email.sent(conn, mail.id, deps.clock.now())
                ATTEMPTS.labels(outcome="sent").inc()
                sent += 1
    return sent


async def _not_sent(conn: Connection, deps: Dependencies, mail: Email, error: Exception) -> None:
    now = deps.clock.now()
    why = f"{type(error).__name__}: {error}"
    again = retry_at(mail, now)
    if again is None:
        log.warning("e-mail %s given up after %d attempts: %s", mail.id, mail.attempts, why)
        await email.failed(conn, mail.id, now, why)
        ATTEMPTS.labels(outcome="failed").inc()
    else:
        log.info(
            "e-mail %s not sent (attempt %d), again at %s: %s",
            mail.id,
            mail.attempts,
            again.isoformat(),
            why,
        )
        await email.retry(conn, mail.id, again, why)
        ATTEMPTS.labels(outcome="retry").inc()


def jobs(deps: Dependencies) -> list[PeriodicJob]:
    """The sending job, run by every replica for itself (the claims keep them apart);
    none without an SMTP server."""
    if deps.mailer is None:
        return []

    async def send(conn: Connection) -> None:
        await send_due(conn, deps)

    return [PeriodicJob(JOB, INTERVAL_SECONDS, send, every_replica=True)]
