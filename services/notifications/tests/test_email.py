"""E-mail, received by a real SMTP server (aiosmtpd) on a free port: a message whose kind
the account chose goes by e-mail once, in the account's language, linking to the
portal page of what it is about; nothing without the kind, the address or CB_SMTP_URL;
a refused e-mail is tried again after a back-off, given up after a day; two senders
never send one twice, and one that stopped mid-batch loses none; a closed account's
queued e-mail is dropped; the development sink writes what it gets to files."""

from __future__ import annotations

import asyncio
import contextlib
import email.policy
import functools
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import pytest
import pytest_asyncio
from aiosmtpd.smtp import SMTP, Envelope, Session

from cbkit.auth import Role
from cbkit.mailsink import MailSink
from cbkit.settings import SettingsError
from cbkit.testing import TestStack, eventually, free_port, gql, new_id
from services.notifications.adapters.smtp import Mailer, server_of
from services.notifications.domain import About, AboutType, Kind, Message
from services.notifications.domain.email import SETTLE, Email, letter, portal_path, retry_at
from services.notifications.repository import email as repository
from services.notifications.service import build
from services.notifications.service_layer.email import send_due
from services.notifications.tests.conftest import (
    ACCOUNTS,
    SET_PREFERENCES,
    Bus,
    messages,
    sent,
)

in_session = pytest.mark.asyncio(loop_scope="session")

PUBLIC_URL = "https://credits.example.org"


class Sink:
    """An SMTP server's handler that keeps what it accepts; it refuses an address's
    next `refusals[address]` e-mails with 451 (try again later)."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.refusals: dict[str, int] = {}
        self.refused: dict[str, int] = {}

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        [to] = envelope.rcpt_tos
        if self.refusals.get(to, 0) > 0:
            self.refusals[to] -= 1
            self.refused[to] = self.refused.get(to, 0) + 1
            return "451 4.3.0 Mailbox busy, try again later"
        content = envelope.original_content or b""
        parsed = BytesParser(policy=email.policy.default).parsebytes(content)
        assert isinstance(parsed, EmailMessage)
        self.received.append(parsed)
        return "250 2.0.0 Accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"] == address]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def sink() -> AsyncIterator[tuple[Sink, int]]:
    handler = Sink()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        functools.partial(SMTP, handler, hostname="sink.test"), "127.0.0.1", 0
    )
    try:
        yield handler, server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


@pytest_asyncio.fixture(name="notifications", scope="module", loop_scope="session")
async def mailing(run_service, sink):
    """The service sending to the sink, its job every 0.1 s."""
    _, port = sink
    smtp = {"CB_SMTP_URL": f"smtp://127.0.0.1:{port}", "CB_PUBLIC_URL": PUBLIC_URL}
    async with run_service(build(), CB_JOB_EMAIL_SECONDS="0.1", **smtp) as client:
        yield client


@pytest.fixture
def mails(sink) -> Sink:
    return sink[0]


TOKENS: dict[str, str] = {}
"""Each learner's token, by id."""


def learner(stack: TestStack) -> tuple[str, str]:
    """A new learner and an address of theirs."""
    account = new_id()
    TOKENS[account] = stack.token(account, Role.LEARNER)
    return account, f"learner-{account[:8]}@example.org"


async def choose(client, account_id: str, language: str, address: str | None, *kinds: str):
    """The learner's own choice of preferences."""
    variables = {"language": language, "email": address, "kinds": list(kinds)}
    answer = await gql(client, SET_PREFERENCES, variables, TOKENS[account_id])
    assert "errors" not in answer, answer


async def inbox_kinds(client, account_id: str) -> list[str]:
    return [m["kind"] for m in await messages(client, account_id, TOKENS[account_id])]


async def certified(client, bus: Bus, account: str, title: str = "Preschool teacher"):
    """The learner's result submitted and approved, both handled; the approval."""
    submitted = await sent(client, bus, await bus.submitted(account, title))
    return await sent(client, bus, await bus.decided("certification.approved", submitted))


async def queued(client, account: str) -> list[dict[str, Any]]:
    async with client.runtime.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT * FROM emails WHERE account_id = $1 ORDER BY queued_at", account
        )
    return [dict(r) for r in rows]


async def becomes(client, account: str, **expected: Any) -> dict[str, Any]:
    """The learner's one queued e-mail, once its columns hold `expected`."""
    found: list[dict[str, Any]] = []

    async def matches() -> bool:
        found[:] = await queued(client, account)
        return len(found) == 1 and all(found[0][k] == v for k, v in expected.items())

    await eventually(matches)
    return found[0]


async def counted(client, outcome: str) -> float:
    """The service's /metrics count of e-mails tried with `outcome`."""
    metrics = (await client.get("/metrics")).text
    line = f'notifications_email_attempts_total{{outcome="{outcome}"}} '
    found = [row[len(line) :] for row in metrics.splitlines() if row.startswith(line)]
    return float(found[0]) if found else 0.0


def text_of(mail: EmailMessage, subtype: str) -> str:
    part = mail.get_body((subtype,))
    assert part is not None
    return part.get_content()


@in_session
async def test_a_learner_who_chose_certified_gets_one_mail_in_their_language_with_the_link(
    notifications, bus, stack, mails
):
    english, english_address = learner(stack)
    chinese, chinese_address = learner(stack)
    await choose(notifications, english, "en", english_address, "CERTIFIED")
    await choose(notifications, chinese, "zh-CN", chinese_address, "CERTIFIED", "REJECTED")

    approved = await certified(notifications, bus, english, "Preschool teacher qualification")
    await certified(notifications, bus, chinese, "幼儿园教师资格")

    async def both_arrived() -> bool:
        return bool(mails.to(english_address) and mails.to(chinese_address))

    await eventually(both_arrived)
    [mail] = mails.to(english_address)
    link = f"{PUBLIC_URL}/learner/results/{approved.data['outcomeId']}"
    assert mail["Subject"] == "Result certified"
    assert mail["From"] == "Credit Bank 学分银行 <no-reply@credits.example.org>"
    plain = text_of(mail, "plain")
    assert "“Preschool teacher qualification” was certified." in plain
    assert link in plain
    assert f'<a href="{link}">' in text_of(mail, "html")

    [chinese_mail] = mails.to(chinese_address)
    assert chinese_mail["Subject"] == "学习成果已认证"
    assert "“幼儿园教师资格”已通过认证。" in text_of(chinese_mail, "plain")
    assert "在学分银行中查看" in text_of(chinese_mail, "plain")

    # the inbox has the message too, and a redelivered event sends nothing more
    assert await inbox_kinds(notifications, english) == ["CERTIFIED"]
    await bus.resend(approved)
    await certified(notifications, bus, new_id())  # an event after it, handled in order
    [row] = await queued(notifications, english)
    assert row["sent_at"] is not None and row["attempts"] == 1
    assert len(mails.to(english_address)) == 1


@in_session
async def test_a_kind_not_chosen_or_no_address_sends_nothing(notifications, bus, stack, mails):
    other_kind, other_kind_address = learner(stack)
    no_address, _ = learner(stack)
    never_chose, _ = learner(stack)
    await choose(notifications, other_kind, "en", other_kind_address, "REJECTED")
    await choose(notifications, no_address, "en", None, "CERTIFIED")

    for account in (other_kind, no_address, never_chose):
        await certified(notifications, bus, account)
        assert await inbox_kinds(notifications, account) == ["CERTIFIED"]
        assert await queued(notifications, account) == []
    assert mails.to(other_kind_address) == []


async def refused_once(client, bus, stack, mails: Sink, clock, refusals: int):
    """A learner who chose CERTIFIED by e-mail, certified with the clock frozen at
    `start`, the sink refusing their next `refusals` e-mails; once the first attempt
    was refused: the learner, their address, `start` and their queued e-mail."""
    account, address = learner(stack)
    await choose(client, account, "en", address, "CERTIFIED")
    mails.refusals[address] = refusals
    start = datetime.now(UTC).replace(microsecond=0)
    clock.frozen_at = start
    await certified(client, bus, account)
    row = await becomes(client, account, next_attempt_at=start + timedelta(minutes=1))
    return account, address, start, row


@in_session
async def test_a_refused_mail_is_sent_once_after_two_retries_with_back_off(
    notifications, bus, stack, mails, clock
):
    before = {o: await counted(notifications, o) for o in ("sent", "retry")}
    account, address, start, row = await refused_once(notifications, bus, stack, mails, clock, 2)
    assert row["attempts"] == 1 and row["sent_at"] is None
    assert "451" in row["last_error"] and mails.refused[address] == 1

    await asyncio.sleep(0.3)  # not due yet: the job leaves it
    assert mails.refused[address] == 1
    clock.frozen_at = start + timedelta(minutes=1)
    row = await becomes(notifications, account, next_attempt_at=start + timedelta(minutes=3))
    assert row["attempts"] == 2 and mails.refused[address] == 2

    clock.frozen_at = start + timedelta(minutes=3)
    row = await becomes(notifications, account, sent_at=start + timedelta(minutes=3))
    assert row["attempts"] == 3 and row["last_error"] is None
    await asyncio.sleep(0.3)
    [mail] = mails.to(address)
    assert mail["Subject"] == "Result certified"
    assert await counted(notifications, "retry") == before["retry"] + 2
    assert await counted(notifications, "sent") == before["sent"] + 1


@in_session
async def test_a_mail_refused_for_a_day_is_given_up(notifications, bus, stack, mails, clock):
    account, address, start, _ = await refused_once(notifications, bus, stack, mails, clock, 1000)
    clock.frozen_at = start + timedelta(hours=23, minutes=59)
    row = await becomes(notifications, account, next_attempt_at=start + timedelta(hours=24))
    assert row["attempts"] == 2
    clock.frozen_at = start + timedelta(hours=24)
    row = await becomes(notifications, account, failed_at=start + timedelta(hours=24))
    assert row["attempts"] == 3 and "451" in row["last_error"]
    clock.frozen_at = start + timedelta(hours=48)
    await asyncio.sleep(0.3)
    assert (await queued(notifications, account))[0]["attempts"] == 3
    assert mails.to(address) == [] and mails.refused[address] == 3


@in_session
async def test_account_closed_drops_its_queued_mail(notifications, bus, stack, mails, clock):
    account, address, start, _ = await refused_once(notifications, bus, stack, mails, clock, 1)
    await sent(notifications, bus, await bus.closed(account))
    assert await queued(notifications, account) == []
    clock.frozen_at = start + timedelta(hours=1)
    await asyncio.sleep(0.3)
    assert mails.to(address) == []


@in_session
async def test_two_senders_at_once_send_each_mail_once(notifications, bus, stack, mails):
    accounts = [learner(stack) for _ in range(12)]
    for account, address in accounts:
        await choose(notifications, account, "en", address, "CERTIFIED")
    runtime = notifications.runtime
    # the job keeps sending meanwhile: three senders in all
    async with runtime.pool.acquire() as one, runtime.pool.acquire() as two:
        for account, _ in accounts:
            await certified(notifications, bus, account)
        await asyncio.gather(
            send_due(one, runtime.deps, limit=3), send_due(two, runtime.deps, limit=3)
        )

    async def all_arrived() -> bool:
        return all(mails.to(address) for _, address in accounts)

    await eventually(all_arrived)
    await asyncio.sleep(0.3)
    assert [len(mails.to(address)) for _, address in accounts] == [1] * len(accounts)


@in_session
async def test_without_smtp_url_nothing_is_queued_or_sent(run_service, stack, mails):
    async with contextlib.AsyncExitStack() as running:
        client = await running.enter_async_context(run_service(build(), "nosmtp"))
        settings = stack.settings("notifications", "nosmtp")
        bus = await running.enter_async_context(
            Bus.listening(settings, "notifications.#", ACCOUNTS)
        )
        assert client.runtime.deps.mailer is None
        account, address = learner(stack)
        await choose(client, account, "en", address, "CERTIFIED")
        await certified(client, bus, account)
        assert await inbox_kinds(client, account) == ["CERTIFIED"]
        assert await queued(client, account) == []
    assert mails.to(address) == []


@pytest.mark.parametrize(
    "url",
    [
        "http://mail.example.org",
        "smtp://",
        "smtp://mail.example.org:99999",
        "smtp://mail.example.org/path",
        "mail.example.org:25",
    ],
)
@in_session
async def test_a_malformed_smtp_url_stops_the_start_by_name(run_service, url):
    with pytest.raises(SettingsError, match="CB_SMTP_URL"):
        async with run_service(build(), "badsmtp", CB_SMTP_URL=url):
            pass


def test_smtp_urls_name_the_server_and_its_security():
    plain = server_of("smtp://127.0.0.1:1025")
    assert (plain.scheme, plain.host, plain.port, plain.username) == (
        "smtp",
        "127.0.0.1",
        1025,
        None,
    )
    starttls = server_of("smtp+starttls://bank%40example.org:p%40ss@smtp.example.org")
    assert (starttls.port, starttls.username, starttls.password) == (
        587,
        "bank@example.org",
        "p@ss",
    )
    assert str(starttls) == "smtp+starttls://bank@example.org@smtp.example.org:587"
    assert server_of("smtps://u:p@smtp.example.org").port == 465
    with pytest.raises(SettingsError, match=r"CB_SMTP_URL.*plain"):
        server_of("smtp://u:p@smtp.example.org", production=True)


QUEUED = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def _email(attempts: int, kind: Kind = Kind.CERTIFIED, about: About | None = None, **params):
    about = about or About(AboutType.OUTCOME, "o-1")
    message = Message("m-1", 1, "a-1", kind, about.type, about.id, params, QUEUED, None)
    return Email("e-1", "li@example.org", "en", attempts, QUEUED, message)


def test_the_back_off_doubles_to_an_hour_and_gives_up_after_a_day():
    minutes = [
        (retry_at(_email(n), QUEUED) - QUEUED) / timedelta(minutes=1)  # type: ignore[operator]
        for n in range(1, 9)
    ]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60]
    late = QUEUED + timedelta(hours=23, minutes=30)
    assert retry_at(_email(30), late) == QUEUED + timedelta(hours=24)
    assert retry_at(_email(31), QUEUED + timedelta(hours=24)) is None


def test_each_kind_links_to_the_portal_page_of_what_it_is_about():
    def path(kind: Kind, about_type: AboutType, **params: str) -> str:
        return portal_path(_email(1, kind, About(about_type, "x-1"), **params).message)

    assert path(Kind.REJECTED, AboutType.OUTCOME) == "/learner/results/x-1"
    assert path(Kind.CASE_OVERDUE, AboutType.CASE) == "/reviewer/cases/x-1"
    assert path(Kind.CREDITS_CONVERTED, AboutType.CONVERSION) == "/learner/transcript"
    assert path(Kind.CERTIFICATE_AWARDED, AboutType.CERTIFICATE) == "/learner/transcript"
    granted = path(Kind.CONSENT_GRANTED, AboutType.CONSENT, learnerId="l-1")
    assert granted == "/institution/learners/l-1"
    said = letter(
        _email(
            1,
            Kind.CREDITS_CONVERTED,
            About(AboutType.CONVERSION, "c-1"),
            courseCode="ED101",
            credits="1.5",
        ),
        PUBLIC_URL,
    )
    assert said.subject == "Credits converted"
    assert said.text.startswith("1.5 credits for course ED101.\n")
    assert f"{PUBLIC_URL}/learner/notifications/preferences" in said.text
    overdue = _email(1, Kind.CASE_OVERDUE, About(AboutType.CASE, "c-1"), dueOn="2026-12-01")
    assert f"{PUBLIC_URL}/reviewer/notifications/preferences" in letter(overdue, PUBLIC_URL).html


@in_session
async def test_the_development_sink_writes_each_mail_to_a_file(tmp_path):
    sink = MailSink(tmp_path / ".dev-mail", free_port())
    sink.start()
    try:
        mailer = Mailer(server_of(sink.url), "Credit Bank 学分银行 <no-reply@x.org>", PUBLIC_URL)
        mail = _email(1)
        async with mailer.session() as session:
            await session.send(mail, letter(mail, PUBLIC_URL), QUEUED)
    finally:
        sink.stop()
    [saved] = (tmp_path / ".dev-mail").iterdir()
    assert saved.name.endswith("-li@example.org.eml")
    parsed = BytesParser(policy=email.policy.default).parsebytes(saved.read_bytes())
    assert parsed["Subject"] == "Result certified"
    assert parsed["From"] == "Credit Bank 学分银行 <no-reply@x.org>"
    assert parsed["Message-ID"] == "<e-1@x.org>"


@in_session
async def test_a_mail_claimed_by_a_sender_that_stopped_is_sent_after_its_lease(
    notifications, bus, stack, mails, clock
):
    account, address = learner(stack)
    await choose(notifications, account, "en", address, "CERTIFIED")
    start = datetime.now(UTC).replace(microsecond=0)
    clock.frozen_at = start
    mails.refusals[address] = 1  # held at the first attempt, due again a minute later
    await certified(notifications, bus, account)
    await becomes(notifications, account, next_attempt_at=start + timedelta(minutes=1))

    due = start + timedelta(minutes=1)
    async with notifications.runtime.pool.acquire() as conn:  # a sender that dies then
        [claimed] = await repository.claim_due(conn, due, 1, timedelta(minutes=30))
    assert claimed.to == address and claimed.attempts == 2
    clock.frozen_at = start + timedelta(minutes=30)  # the job leaves it while leased
    await asyncio.sleep(0.3)
    assert mails.to(address) == []

    clock.frozen_at = start + timedelta(minutes=31)
    await becomes(notifications, account, sent_at=start + timedelta(minutes=31), attempts=3)
    assert len(mails.to(address)) == 1


@in_session
async def test_the_lots_of_one_redemption_make_one_mail_of_their_total(
    notifications, bus, stack, mails, clock
):
    account, address = learner(stack)
    await choose(notifications, account, "en", address, "CREDITS_REDEEMED")
    start = datetime.now(UTC).replace(microsecond=0)
    clock.frozen_at = start
    redemption = new_id()
    for credits in ("2.0", "1.5"):
        lot = {
            "redemptionId": redemption,
            "conversionId": new_id(),
            "learnerId": account,
            "institutionId": new_id(),
            "courseCode": "ED101",
            "credits": credits,
        }
        await sent(
            notifications, bus, await bus.publish(ACCOUNTS, "credits.redeemed", account, lot)
        )
    row = await becomes(notifications, account, next_attempt_at=start + SETTLE)
    assert row["attempts"] == 0  # it waits for the other lots

    clock.frozen_at = start + SETTLE
    await becomes(notifications, account, sent_at=start + SETTLE)
    [mail] = mails.to(address)
    assert mail["Subject"] == "Credits redeemed"
    assert "3.5 credits for course ED101 were redeemed." in text_of(mail, "plain")
    assert f"{PUBLIC_URL}/learner/transcript" in text_of(mail, "plain")


@in_session
async def test_the_privacy_export_lists_what_was_e_mailed_to_which_address_and_when(
    notifications, bus, stack, mails
):
    account, address = learner(stack)
    await choose(notifications, account, "en", address, "CERTIFIED", "REJECTED")
    approved = await certified(notifications, bus, account, "Nursery assistant")

    async def arrived() -> bool:
        return bool(mails.to(address))

    await eventually(arrived)
    # a second one the server refuses for now: waiting to be tried again
    mails.refusals[address] = 100
    submitted = await sent(notifications, bus, await bus.submitted(account, "Infant care"))
    await sent(notifications, bus, await bus.decided("certification.rejected", submitted))

    records: dict[str, Any] = {}

    async def refused_once() -> bool:
        response = await notifications.get(
            "/privacy/export", headers={"Authorization": f"Bearer {TOKENS[account]}"}
        )
        assert response.status_code == 200, response.text
        records.update(response.json()["records"])
        return len(records["emails"]) == 2 and records["emails"][1]["lastError"] is not None

    await eventually(refused_once)
    inbox = {m["kind"]: m["id"] for m in records["notifications"]}
    first, second = records["emails"]
    assert first["messageId"] == inbox["CERTIFIED"]
    assert first["kind"] == "CERTIFIED" and first["subject"] == "Result certified"
    assert first["to"] == address and first["language"] == "en"
    assert first["status"] == "SENT" and first["attempts"] == 1 and first["lastError"] is None
    sent_at = datetime.fromisoformat(first["sentAt"])
    assert datetime.fromisoformat(first["queuedAt"]) <= sent_at
    assert sent_at.tzinfo is not None and first["failedAt"] is None
    assert second["messageId"] == inbox["REJECTED"] and second["kind"] == "REJECTED"
    assert second["status"] == "WAITING" and second["sentAt"] is None
    assert "451" in second["lastError"] and "Mailbox busy" in second["lastError"]
    assert approved.data["learnerId"] == account
    mails.refusals[address] = 0
