"""The development SMTP sink (`make run`): an aiosmtpd server on 127.0.0.1:1025 that
accepts every e-mail and writes it, as sent, to `.dev-mail/<UTC time>-<to>.eml`
(git-ignored; one file per recipient), so what the notifications service sends can be
read without a real mail server. `python -m cbkit.mailsink [port] [directory]` runs it
alone."""

from __future__ import annotations

import re
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

HOST = "127.0.0.1"
PORT = 1025
DIRECTORY = Path(".dev-mail")
_UNSAFE = re.compile(r"[^A-Za-z0-9@._+-]")


def url(port: int = PORT) -> str:
    """The CB_SMTP_URL that sends to the sink."""
    return f"smtp://{HOST}:{port}"


class Mailbox:
    """The sink's handler: each e-mail accepted and written to a file per recipient."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self.directory.mkdir(parents=True, exist_ok=True)
        for to in envelope.rcpt_tos:
            self.path_for(to).write_bytes(content)
        return "250 2.0.0 Saved to " + str(self.directory)

    def path_for(self, to: str) -> Path:
        """A new file's path for an e-mail to `to`: time first (to the microsecond), so a
        listing sorts them."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        return self.directory / f"{stamp}-{_UNSAFE.sub('_', to)[:100]}.eml"


class MailSink:
    """The sink, served on a thread of its own until `stop`."""

    def __init__(self, directory: Path = DIRECTORY, port: int = PORT) -> None:
        self.directory = directory
        self.controller = Controller(
            Mailbox(directory), hostname=HOST, port=port, server_hostname="mailsink.local"
        )

    @property
    def url(self) -> str:
        return url(self.controller.port)

    def start(self) -> None:
        """Listen; OSError when the port is taken."""
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def main(argv: list[str]) -> None:
    port = int(argv[0]) if argv else PORT
    directory = Path(argv[1]) if len(argv) > 1 else DIRECTORY
    sink = MailSink(directory, port)
    sink.start()
    print(f"SMTP sink at {sink.url}, writing each e-mail to {directory}/ (Ctrl-C stops it)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sink.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
