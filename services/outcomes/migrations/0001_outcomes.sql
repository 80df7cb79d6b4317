CREATE TABLE outcomes (
    id              uuid PRIMARY KEY,
    learner_id      uuid NOT NULL,
    kind            text NOT NULL,
    title           text NOT NULL,
    issuer          text NOT NULL,
    credential_code text,
    achieved_on     date NOT NULL,
    hours           integer CHECK (hours > 0),
    status          text NOT NULL,
    submitted_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outcomes_learner ON outcomes (learner_id, submitted_at);
