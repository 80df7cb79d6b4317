"""The number of days and the calendar are configuration of the running service."""

from datetime import UTC, datetime

import aio_pika

from cbkit import broker
from cbkit.envelope import Event
from services.certification.service import build
from services.certification.tests.conftest import current, handled, submitted


async def test_a_service_configured_for_5_days_on_the_german_calendar(run_service, stack):
    settings = stack.settings("certification")
    async with run_service(build(), CB_DAYS_TO_DECIDE="5", CB_CALENDAR_COUNTRY="DE") as cert:
        connection = await broker.connect(settings.amqp_url)
        async with connection:
            channel = await connection.channel()
            exchange = await broker.declare_exchange(channel, settings.exchange)
            data = submitted(submitted_at=datetime(2026, 2, 13, 2, tzinfo=UTC))
            event = Event("outcome.submitted", "/services/outcomes", data["learnerId"], data)
            await exchange.publish(aio_pika.Message(event.to_json()), routing_key=event.routing_key)
            await handled(cert, event)
        case = await current(cert, data["outcomeId"])
        # Friday 13 Feb + 5 weekdays; Spring Festival is no holiday in Germany
        assert case["dueOn"] == "2026-02-20"
