"""Wires the notifications service: schema, migrations, the events it turns into
messages, the clock and working-day calendar, the live inbox listener, the jobs
(e-mail, deadlines) and the privacy export."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator
from pathlib import Path

from cbkit.app import Runtime, ServiceSpec, key_set
from cbkit.calendar import WorkingCalendar
from cbkit.clock import Clock
from cbkit.jobs import PeriodicJob
from cbkit.subscriptions import verified
from services.notifications import events
from services.notifications.adapters import smtp
from services.notifications.adapters.webhook_client import WebhookPolicy
from services.notifications.schema import schema
from services.notifications.service_layer import deadlines, email, privacy
from services.notifications.service_layer.dependencies import Dependencies
from services.notifications.service_layer.live import InboxListener
from services.notifications.service_layer.webhooks import WebhookWorker


@contextlib.asynccontextmanager
async def _dependencies(runtime: Runtime[Dependencies]) -> AsyncIterator[Dependencies]:
    settings = runtime.settings
    mailer = smtp.mailer(settings)
    live = InboxListener(settings.database_url, runtime.pool)
    await live.start()
    keys = key_set(settings)
    deps = Dependencies(
        clock=Clock(settings.time_zone),
        calendar=WorkingCalendar.from_settings(settings),
        live=live,
        verify=functools.partial(verified, keys=keys),
        mailer=mailer,
        webhooks=WebhookPolicy.configured(settings),
    )
    worker = WebhookWorker(settings.database_url, runtime.pool, deps)
    worker.start()
    try:
        yield deps
    finally:
        await worker.close()
        await live.close()


def _jobs(deps: Dependencies) -> list[PeriodicJob]:
    return [*email.jobs(deps), *deadlines.jobs(deps)]


def build() -> ServiceSpec[Dependencies]:
    return ServiceSpec(
        name="notifications",
        port=4005,
        schema=schema,
        migrations=Path(__file__).parent / "migrations",
        dependencies=_dependencies,
        handlers=events.handlers,
        jobs=_jobs,
        export=privacy.export,
    )
