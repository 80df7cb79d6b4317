"""What notifications' resolvers, handlers and jobs share, built once at start by
`service.py` from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from cbkit.calendar import Calendar
from cbkit.clock import Clock
from cbkit.subscriptions import Verify
from services.notifications.adapters.smtp import Mailer
from services.notifications.adapters.webhook_client import WebhookPolicy
from services.notifications.service_layer.live import InboxListener


@dataclass(frozen=True)
class Dependencies:
    clock: Clock
    calendar: Calendar
    """The working days certification counts a case's due day in (CB_CALENDAR_COUNTRY,
    CB_DAYS_TO_DECIDE): reminders come two of them before it."""
    live: InboxListener
    """New messages to the accounts' open subscriptions."""
    verify: Verify
    """Who a subscription's token names and until when."""
    mailer: Mailer | None
    """Where e-mails go (CB_SMTP_URL); None: nothing is sent, nor queued."""
    webhooks: WebhookPolicy
    """How webhooks are sent: private addresses allowed or not, timeouts, concurrency."""
