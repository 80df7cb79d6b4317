-- an institution's webhook endpoints (Standard Webhooks): the URL, the event types it
-- subscribes to, its signing secret, and whether it is enabled (disabled after a
-- delivery failed for the whole retry schedule, until the institution enables it)
CREATE TABLE webhook_endpoints (
    id              uuid PRIMARY KEY,
    institution_id  uuid NOT NULL,
    url             text NOT NULL,
    event_types     text[] NOT NULL,
    secret          text NOT NULL,
    enabled         boolean NOT NULL DEFAULT true,
    disabled_reason text,
    disabled_at     timestamptz,
    created_at      timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_institution ON webhook_endpoints (institution_id, created_at, id);

-- this service's copy of the learners' consents (consent.granted / consent.revoked,
-- in any order: the latest grant and the latest revocation are kept)
CREATE TABLE webhook_consents (
    consent_id     uuid PRIMARY KEY,
    learner_id     uuid NOT NULL,
    institution_id uuid NOT NULL,
    granted_at     timestamptz,
    expires_at     timestamptz,
    revoked_at     timestamptz
);
CREATE INDEX webhook_consents_learner ON webhook_consents (learner_id, institution_id);
CREATE INDEX webhook_consents_institution ON webhook_consents (institution_id);

-- one event to one endpoint; its id gives the webhook-id of every attempt, `body`
-- the exact bytes signed; `position` orders one learner's deliveries to an endpoint
CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    position         bigserial UNIQUE,
    endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints ON DELETE CASCADE,
    event_id         uuid NOT NULL,
    event_type       text NOT NULL,
    learner_id       uuid NOT NULL,
    body             text NOT NULL,
    state            text NOT NULL DEFAULT 'PENDING',
    failures         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    cancelled_reason text,
    created_at       timestamptz NOT NULL,
    delivered_at     timestamptz,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, position)
    WHERE state = 'PENDING';
CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (endpoint_id, learner_id, position)
    WHERE state = 'PENDING';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, position DESC);
CREATE INDEX webhook_deliveries_learner ON webhook_deliveries (learner_id) WHERE state = 'PENDING';

-- each attempt of a delivery: when, the HTTP status (null: no answer), how long the
-- answer took, what went wrong
CREATE TABLE webhook_attempts (
    delivery_id uuid NOT NULL REFERENCES webhook_deliveries ON DELETE CASCADE,
    number      integer NOT NULL,
    at          timestamptz NOT NULL,
    status      integer,
    response_ms integer,
    error       text,
    PRIMARY KEY (delivery_id, number)
);
