ALTER TABLE cases ADD COLUMN sequence integer NOT NULL DEFAULT 1;
ALTER TABLE cases ADD COLUMN overdue_published_at timestamptz;
CREATE INDEX cases_learner ON cases (learner_id);

-- an outcome withdrawn before its submission reached us must not open a case later
CREATE TABLE withdrawn_outcomes (
    outcome_id   uuid PRIMARY KEY,
    withdrawn_at timestamptz NOT NULL
);

-- every decision with whether it came by the deadline then in force
CREATE TABLE decisions (
    id         bigserial PRIMARY KEY,
    case_id    uuid NOT NULL REFERENCES cases (id),
    decision   text NOT NULL,
    decided_at timestamptz NOT NULL,
    due_on     date NOT NULL,
    on_time    boolean NOT NULL
);

CREATE FUNCTION case_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case_history is append-only';
END;
$$;
CREATE TRIGGER case_history_append_only BEFORE UPDATE OR DELETE ON case_history
    FOR EACH ROW EXECUTE FUNCTION case_history_append_only();
