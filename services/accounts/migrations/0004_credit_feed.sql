-- An append-only feed of each learner's credit events. Rows are appended under one
-- advisory lock, so positions are committed in order and a reader never skips one.
CREATE TABLE credit_feed (
    position    bigserial PRIMARY KEY,
    event_id    uuid NOT NULL UNIQUE,
    learner_id  uuid NOT NULL,
    type        text NOT NULL,
    occurred_at timestamptz NOT NULL,
    data        jsonb NOT NULL
);
CREATE INDEX credit_feed_learner ON credit_feed (learner_id, position);
