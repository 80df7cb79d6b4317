CREATE TABLE cases (
    id              uuid PRIMARY KEY,
    outcome_id      uuid NOT NULL UNIQUE,
    learner_id      uuid NOT NULL,
    kind            text NOT NULL,
    title           text NOT NULL,
    credential_code text,
    achieved_on     date NOT NULL,
    hours           integer,
    status          text NOT NULL,
    reviewer_id     uuid,
    submitted_on    date NOT NULL,
    due_on          date NOT NULL,
    decided_at      timestamptz,
    reason          text,
    verified_credential_code text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_queue ON cases (status, due_on);

CREATE TABLE case_history (
    id      bigserial PRIMARY KEY,
    case_id uuid NOT NULL REFERENCES cases (id),
    status  text NOT NULL,
    by_id   uuid,
    at      timestamptz NOT NULL DEFAULT now(),
    note    text
);
CREATE INDEX case_history_case ON case_history (case_id, id);
