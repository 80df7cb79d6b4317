"""Institutions' webhook endpoints in GraphQL: the endpoint with its delivery log,
the mutations that manage them (institutions only, their own endpoints) and the
field Account.webhookEndpoints (the institution itself and admins)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from cbkit.paging import DEFAULT_PAGE, Connection, connection, page_request
from services.notifications.domain import webhooks as domain
from services.notifications.schema.context import Info
from services.notifications.service_layer import webhooks

strawberry.enum(domain.EventType, name="WebhookEventType")
strawberry.enum(domain.DeliveryState, name="WebhookDeliveryState")
strawberry.enum(domain.CancelReason, name="WebhookCancelReason")


@strawberry.type(description="One try of a delivery.")
class WebhookAttempt:
    at: datetime
    status: int | None = strawberry.field(description="the HTTP status; null: no answer")
    response_ms: int | None = strawberry.field(description="how long the answer took")
    error: str | None = strawberry.field(description="what went wrong; null on a 2xx")

    @classmethod
    def from_record(cls, attempt: domain.Attempt) -> WebhookAttempt:
        return cls(
            at=attempt.at,
            status=attempt.status,
            response_ms=attempt.response_ms,
            error=attempt.error,
        )


@strawberry.type(description="One event to one endpoint and every attempt to send it.")
class WebhookDelivery:
    id: strawberry.ID
    event_id: strawberry.ID
    event_type: domain.EventType
    webhook_id: str = strawberry.field(description="the webhook-id header of every attempt")
    state: domain.DeliveryState
    attempts: list[WebhookAttempt]
    succeeded: bool
    next_attempt_at: datetime | None = strawberry.field(
        description="when it is tried next; null once it is over"
    )
    cancelled_reason: domain.CancelReason | None
    created_at: datetime
    delivered_at: datetime | None

    @classmethod
    def from_record(cls, logged: webhooks.LoggedDelivery) -> WebhookDelivery:
        delivery = logged.delivery
        return cls(
            id=strawberry.ID(delivery.id),
            event_id=strawberry.ID(delivery.event_id),
            event_type=delivery.event_type,
            webhook_id=delivery.webhook_id,
            state=delivery.state,
            attempts=[WebhookAttempt.from_record(a) for a in logged.attempts],
            succeeded=delivery.state is domain.DeliveryState.SUCCEEDED,
            next_attempt_at=(
                delivery.next_attempt_at if delivery.state is domain.DeliveryState.PENDING else None
            ),
            cancelled_reason=delivery.cancelled_reason,
            created_at=delivery.created_at,
            delivered_at=delivery.delivered_at,
        )


@strawberry.type(description="An institution's webhook endpoint (its secret is never shown again).")
class WebhookEndpoint:
    id: strawberry.ID
    url: str
    event_types: list[domain.EventType]
    enabled: bool
    disabled_reason: str | None = strawberry.field(
        description="DELIVERIES_FAILED: a delivery failed for the whole retry schedule"
    )
    disabled_at: datetime | None
    created_at: datetime
    record: strawberry.Private[domain.Endpoint]

    @classmethod
    def from_record(cls, endpoint: domain.Endpoint) -> WebhookEndpoint:
        return cls(
            id=strawberry.ID(endpoint.id),
            url=endpoint.url,
            event_types=list(endpoint.event_types),
            enabled=endpoint.enabled,
            disabled_reason=endpoint.disabled_reason,
            disabled_at=endpoint.disabled_at,
            created_at=endpoint.created_at,
            record=endpoint,
        )

    @strawberry.field(
        description="After a rotation: until when deliveries are signed with the previous"
        " secret too (its signature beside the new one's); null when only the current"
        " secret signs."
    )
    def previous_secret_expires_at(self, info: Info) -> datetime | None:
        return self.record.previous_until(info.context.deps.clock.now())

    @strawberry.field(description="The delivery log, newest first, a page at a time.")
    async def deliveries(
        self, info: Info, first: int | None = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[WebhookDelivery]:
        request = page_request("WebhookEndpoint.deliveries", first, after)
        found = await info.context.run(webhooks.log_of, str(self.id), request)
        return connection(
            found,
            WebhookDelivery.from_record,
            info.context.deferred(webhooks.count_log, str(self.id)),
        )


@strawberry.type(description="A registered endpoint and its signing secret, shown only now.")
class WebhookEndpointCreated:
    endpoint: WebhookEndpoint
    secret: str = strawberry.field(description="whsec_ and base64: verify signatures with it")


@strawberry.type
class AccountWebhooks:
    """The part of Account this module adds: the institution's endpoints."""

    id: strawberry.ID

    @strawberry.field(
        description="The institution's webhook endpoints, oldest first: read by the"
        " institution itself and admins."
    )
    async def webhook_endpoints(self, info: Info) -> list[WebhookEndpoint]:
        viewer = info.context.require()
        found = await info.context.run(webhooks.endpoints_of, viewer, str(self.id))
        return [WebhookEndpoint.from_record(e) for e in found]


@strawberry.type
class WebhookQuery:
    @strawberry.field(description="The event types a webhook endpoint may subscribe to.")
    def webhook_event_types(self) -> list[domain.EventType]:
        return list(domain.EventType)

    @strawberry.field(
        description="One of your institution's webhook endpoints (admins: anyone's);"
        " refused, saying why, when there is none by that id or it is another's."
    )
    async def webhook_endpoint(self, info: Info, id: strawberry.ID) -> WebhookEndpoint:
        viewer = info.context.require()
        found = await info.context.run(webhooks.endpoint_of, viewer, str(id))
        return WebhookEndpoint.from_record(found)


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(
        description="Register a webhook endpoint of your institution (https; signed by"
        " the Standard Webhooks specification): the secret is shown only here."
    )
    async def register_webhook_endpoint(
        self, info: Info, url: str, event_types: list[domain.EventType]
    ) -> WebhookEndpointCreated:
        caller = info.context.require()
        async with info.context.pool.acquire() as conn:
            endpoint, secret = await webhooks.register(
                conn, info.context.deps, caller, url, event_types
            )
        return WebhookEndpointCreated(endpoint=WebhookEndpoint.from_record(endpoint), secret=secret)

    @strawberry.mutation(description="Change your endpoint's URL or event types.")
    async def update_webhook_endpoint(
        self,
        info: Info,
        id: strawberry.ID,
        url: str | None = None,
        event_types: list[domain.EventType] | None = None,
    ) -> WebhookEndpoint:
        caller = info.context.require()
        async with info.context.pool.acquire() as conn:
            endpoint = await webhooks.update(
                conn, info.context.deps, caller, str(id), url, event_types
            )
        return WebhookEndpoint.from_record(endpoint)

    @strawberry.mutation(
        description="A new signing secret for your endpoint, shown only here; the old"
        " one still signs beside it (two signatures in webhook-signature) for"
        " `overlapHours` (0 to 168, 24 when not given), then no more."
    )
    async def rotate_webhook_secret(
        self, info: Info, id: strawberry.ID, overlap_hours: int | None = None
    ) -> WebhookEndpointCreated:
        caller = info.context.require()
        async with info.context.pool.acquire() as conn:
            endpoint, secret = await webhooks.rotate(
                conn, info.context.deps, caller, str(id), overlap_hours
            )
        return WebhookEndpointCreated(endpoint=WebhookEndpoint.from_record(endpoint), secret=secret)

    @strawberry.mutation(description="Delete your endpoint and its delivery log; its id.")
    async def delete_webhook_endpoint(self, info: Info, id: strawberry.ID) -> strawberry.ID:
        caller = info.context.require()
        async with info.context.pool.acquire() as conn:
            deleted = await webhooks.delete(conn, info.context.deps, caller, str(id))
        return strawberry.ID(deleted)

    @strawberry.mutation(
        description="Enable your endpoint again after it was disabled: what waited for"
        " it is sent in order."
    )
    async def enable_webhook_endpoint(self, info: Info, id: strawberry.ID) -> WebhookEndpoint:
        caller = info.context.require()
        async with info.context.pool.acquire() as conn:
            endpoint = await webhooks.enable(conn, info.context.deps, caller, str(id))
        return WebhookEndpoint.from_record(endpoint)

    @strawberry.mutation(
        description="Send again your endpoint's deliveries queued since `since` that"
        " succeeded, failed or were dropped (at most 1,000, same webhook-id); how many"
        " were queued."
    )
    async def replay_webhook_deliveries(
        self, info: Info, endpoint_id: strawberry.ID, since: datetime
    ) -> int:
        caller = info.context.require()
        async with info.context.pool.acquire() as conn:
            return await webhooks.replay(conn, info.context.deps, caller, str(endpoint_id), since)
