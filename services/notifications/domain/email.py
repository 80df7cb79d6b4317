"""What an e-mail of a message says and when a failed one is tried again. Pure: no I/O.

An e-mail is queued in the transaction that stores its message, to the address and
in the language the account's preferences name then, and sent later by a job as the
message reads then (subject: its title; body: its body and a link to the portal page
of what it is about); a failure is tried again after a back-off that doubles up to
an hour, and given up a day after queuing."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta

from cbkit.i18n import Language, Text
from services.notifications.domain.messages import LOT_KINDS, AboutType, Kind, Message

FIRST_RETRY = timedelta(minutes=1)
"""The wait after the first failure; each further failure doubles it."""
LONGEST_RETRY = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=24)
"""An e-mail still unsent this long after it was queued is marked failed."""
MAX_ERROR = 500
"""How much of the server's last answer is kept."""


@dataclass(frozen=True)
class NewEmail:
    """An e-mail to queue: the message `message_id` to tell `to` in `language`, first
    tried at `due`."""

    message_id: str
    account_id: str
    to: str
    language: Language
    queued_at: datetime
    due: datetime


@dataclass(frozen=True)
class Email:
    """A queued e-mail as the sending job claims it (`attempts` counts this one), with
    its message as it reads now."""

    id: str
    to: str
    language: Language
    attempts: int
    queued_at: datetime
    message: Message


@dataclass(frozen=True)
class EmailRecord:
    """What was (or is to be) e-mailed of one message, as the account's privacy export
    lists it: to which address, in which language, when queued, sent or given up."""

    message: Message
    to: str
    language: Language
    queued_at: datetime
    attempts: int
    sent_at: datetime | None
    failed_at: datetime | None
    last_error: str | None

    @property
    def status(self) -> str:
        """SENT, FAILED (given up) or WAITING (to be tried, again or for the first time)."""
        if self.sent_at is not None:
            return "SENT"
        return "FAILED" if self.failed_at is not None else "WAITING"


@dataclass(frozen=True)
class Letter:
    """What an e-mail says: its subject, its plain text and its HTML part."""

    subject: str
    text: str
    html: str


SETTLE = timedelta(minutes=1)
"""How long the e-mail of a lot kind waits, so that every lot of one redemption has
added its credits to the message before it is sent."""


def queued(message: Message, to: str, language: Language, at: datetime) -> NewEmail:
    """The e-mail of a message just stored at `at`, due at once (a lot kind: a minute later)."""
    due = at + SETTLE if message.kind in LOT_KINDS else at
    return NewEmail(message.id, message.account_id, to, language, at, due)


def portal_path(message: Message) -> str:
    """The portal page (web/src/<role>/Area.tsx) that shows what the message is about."""
    about, about_id = message.about_type, message.about_id
    if about is AboutType.OUTCOME:
        return f"/learner/results/{about_id}"
    if about is AboutType.CASE:
        return f"/reviewer/cases/{about_id}"
    if about in (AboutType.CONVERSION, AboutType.CERTIFICATE, AboutType.REDEMPTION):
        return "/learner/transcript"
    if about is AboutType.CONSENT:
        learner = message.params.get("learnerId")
        granted = message.kind is Kind.CONSENT_GRANTED and learner
        return f"/institution/learners/{learner}" if granted else "/institution/feed"
    return "/institution/webhooks"


LINK = Text("在学分银行中查看：", "See it in the Credit Bank:")
WHY = Text(
    "你收到这封邮件，是因为你在通知设置中选择了以电子邮件接收此类通知。在这里更改：",
    "You get this e-mail because your notification settings send this kind by e-mail."
    " Change them here:",
)


def settings_path(message: Message) -> str:
    """The notification settings page of the area (learner, reviewer, institution) the
    message's link leads into."""
    area = portal_path(message).split("/")[1]
    return f"/{area}/notifications/preferences"


def letter(mail: Email, public_url: str) -> Letter:
    """The e-mail of the message in its language, rendered as the message reads when it
    is sent, linking into the portal at `public_url` (no trailing slash)."""
    language = mail.language
    title, body = mail.message.rendered(language)
    link = public_url + portal_path(mail.message)
    settings = public_url + settings_path(mail.message)
    text = f"{body}\n\n{LINK(language)}\n{link}\n\n--\n{WHY(language)}\n{settings}\n"
    lang = "zh-CN" if language == "zh" else "en"
    page = (
        f'<!DOCTYPE html><html lang="{lang}"><body>'
        f"<p>{html.escape(body)}</p>"
        f"<p>{html.escape(LINK(language))}"
        f' <a href="{html.escape(link)}">{html.escape(link)}</a></p>'
        f'<hr><p style="color:#666;font-size:small">{html.escape(WHY(language))}'
        f' <a href="{html.escape(settings)}">{html.escape(settings)}</a></p>'
        "</body></html>\n"
    )
    return Letter(title, text, page)


def retry_at(email: Email, now: datetime) -> datetime | None:
    """When to try `email` again after its `attempts`-th failure at `now`: the back-off
    doubling from a minute up to an hour; None when it is a day old (give up)."""
    if now - email.queued_at >= GIVE_UP_AFTER:
        return None
    wait = min(FIRST_RETRY * 2 ** (max(email.attempts, 1) - 1), LONGEST_RETRY)
    return min(now + wait, email.queued_at + GIVE_UP_AFTER)
