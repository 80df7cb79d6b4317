"""The way out to an SMTP server (aiosmtplib): where it is (`CB_SMTP_URL`), who the
e-mails are from (`CB_SMTP_FROM`), and a session that sends e-mails one by one over one
connection, with timeouts on connecting and on each send.

    smtp://host[:25]                       plain (a local relay, the development sink)
    smtp+starttls://user:pass@host[:587]   STARTTLS required, then AUTH
    smtps://user:pass@host[:465]           TLS from the start

Unset, nothing is sent (`mailer` gives None and says so in the log once)."""

from __future__ import annotations

import contextlib
import email.utils
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib
from prometheus_client import Counter

from cbkit.settings import Settings, SettingsError
from services.notifications.domain.email import Email, Letter

log = logging.getLogger(__name__)

URL = "CB_SMTP_URL"
FROM = "CB_SMTP_FROM"
CONNECT_TIMEOUT = "CB_SMTP_CONNECT_TIMEOUT_SECONDS"
SEND_TIMEOUT = "CB_SMTP_SEND_TIMEOUT_SECONDS"
PUBLIC_URL = "CB_PUBLIC_URL"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:4000"
DEFAULT_SENDER_NAME = "Credit Bank 学分银行"
PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
ATTEMPTS = Counter(
    "notifications_email_attempts",
    "E-mails tried, by outcome: sent, retry (due again later) or failed (given up)",
    ["outcome"],
)


@dataclass(frozen=True)
class SmtpServer:
    scheme: str
    host: str
    port: int
    username: str | None = None
    password: str | None = None

    def __str__(self) -> str:
        """The URL without its password (for logs)."""
        user = f"{self.username}@" if self.username else ""
        return f"{self.scheme}://{user}{self.host}:{self.port}"


def server_of(url: str, production: bool = False) -> SmtpServer:
    """The server `url` names; SettingsError naming CB_SMTP_URL when it names none (a
    password over plain smtp:// is refused in production: it would cross in clear)."""
    shown = url.split("@")[-1][:80]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise SettingsError(f"{URL} is not a URL with a valid port: …{shown!r}") from None
    if parts.scheme not in PORTS:
        raise SettingsError(
            f"{URL} must start with smtp://, smtp+starttls:// or smtps://, not …{shown!r}"
        )
    if not parts.hostname or parts.path not in ("", "/") or parts.query:
        raise SettingsError(f"{URL} must be scheme://[user:password@]host[:port], not …{shown!r}")
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    if production and parts.scheme == "smtp" and password:
        raise SettingsError(f"{URL} sends a password over plain smtp://; use smtp+starttls://")
    return SmtpServer(parts.scheme, parts.hostname, port or PORTS[parts.scheme], username, password)


def _default_sender(public_url: str) -> str:
    host = urlsplit(public_url).hostname or ""
    named = "." in host and not host.replace(".", "").isdigit()
    return f"{DEFAULT_SENDER_NAME} <no-reply@{host if named else 'creditbank.local'}>"


@dataclass(frozen=True)
class Mailer:
    """Where and as whom e-mails are sent, and the public address they link to."""

    server: SmtpServer
    sender: str
    public_url: str
    connect_timeout: float = 10.0
    send_timeout: float = 30.0

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[Session]:
        """A session that connects on its first send and quits at the end."""
        session = Session(self)
        try:
            yield session
        finally:
            await session.close()


def mailer(settings: Settings) -> Mailer | None:
    """The mailer the settings configure, read once at start; None (said in the log)
    when CB_SMTP_URL is unset. A malformed value is refused by its name."""
    url = settings.text(URL)
    if not url:
        log.info("%s is unset: no e-mail is sent, nor queued", URL)
        return None
    server = server_of(url, production=not settings.is_development)
    public_url = settings.text(PUBLIC_URL)
    if not public_url and not settings.is_development:
        raise SettingsError(f"{PUBLIC_URL} is required: e-mails link to the portal there")
    public_url = (public_url or DEFAULT_PUBLIC_URL).rstrip("/")
    sender = settings.text(FROM) or _default_sender(public_url)
    if "@" not in email.utils.parseaddr(sender)[1]:
        raise SettingsError(f"{FROM} must be an address such as 'Name <no-reply@example.org>'")
    found = Mailer(
        server,
        sender,
        public_url,
        settings.positive_seconds(CONNECT_TIMEOUT, 10.0),
        settings.positive_seconds(SEND_TIMEOUT, 30.0),
    )
    log.info("e-mails go to %s from %s", server, sender)
    return found


SendError = (aiosmtplib.SMTPException, OSError, TimeoutError)
"""What a failed connection or send raises: the e-mail is tried again later."""
Refused = aiosmtplib.SMTPResponseException
"""The server answered, refusing this e-mail (the next may pass)."""


class Session:
    """One connection to the server, opened on the first send, opened again after the
    server drops it."""

    def __init__(self, mailer: Mailer) -> None:
        self.mailer = mailer
        self.client: aiosmtplib.SMTP | None = None

    async def send(self, mail: Email, letter: Letter, at: datetime) -> None:
        """Send `mail`, saying `letter`; raises one of `SendError` when the server is out of reach,
        too slow, or refuses it."""
        if self.client is None or not self.client.is_connected:
            self.client = await self._connect()
        try:
            await self.client.send_message(
                self._message(mail, letter, at), timeout=self.mailer.send_timeout
            )
        except Refused:
            with contextlib.suppress(*SendError):
                await self.client.rset()
            raise
        except SendError:
            await self.close()
            raise

    async def _connect(self) -> aiosmtplib.SMTP:
        server = self.mailer.server
        client = aiosmtplib.SMTP(
            hostname=server.host,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.scheme == "smtps",
            start_tls=server.scheme == "smtp+starttls",
            timeout=self.mailer.connect_timeout,
        )
        await client.connect()
        return client

    def _message(self, mail: Email, letter: Letter, at: datetime) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.mailer.sender
        message["To"] = mail.to
        message["Subject"] = letter.subject
        message["Date"] = email_date(at)
        domain = email.utils.parseaddr(self.mailer.sender)[1].rpartition("@")[2]
        message["Message-ID"] = f"<{mail.id}@{domain}>"
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(letter.text)
        message.add_alternative(letter.html, subtype="html")
        return message

    async def close(self) -> None:
        client, self.client = self.client, None
        if client is not None and client.is_connected:
            try:
                await client.quit(timeout=self.mailer.connect_timeout)
            except SendError:
                client.close()


def email_date(at: datetime) -> str:
    return email.utils.format_datetime(at)
