-- learners who closed their account (account.closed): their cases are withdrawn and
-- their personal text erased; no later outcome or consent event reopens anything
CREATE TABLE closed_learners (
    learner_id uuid PRIMARY KEY,
    closed_at  timestamptz NOT NULL
);
-- set on each case of a closed learner: only admins still read it (for the figures)
ALTER TABLE cases ADD COLUMN learner_closed_at timestamptz;
-- the learner's own title of the outcome is erased with the account
ALTER TABLE cases ALTER COLUMN title DROP NOT NULL;

-- the history stays append-only, except that the erasure of a closed learner's
-- personal text (only the note of a step, inside a transaction that says so with
-- SET LOCAL certification.erasure = 'on') may blank a note
CREATE OR REPLACE FUNCTION case_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND current_setting('certification.erasure', true) = 'on'
        AND NEW.id = OLD.id
        AND NEW.case_id = OLD.case_id
        AND NEW.status = OLD.status
        AND NEW.by_id IS NOT DISTINCT FROM OLD.by_id
        AND NEW.at = OLD.at
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'case_history is append-only';
END;
$$;
