-- A learner's results page newest first (submitted_at DESC, id DESC) by keyset: an
-- index in that order, and one per filter (status, kind), so the last page of a long
-- list costs what the first does. The first serves the old ascending list too.
CREATE INDEX outcomes_learner_page ON outcomes (learner_id, submitted_at DESC, id DESC);
CREATE INDEX outcomes_learner_status_page
    ON outcomes (learner_id, status, submitted_at DESC, id DESC);
CREATE INDEX outcomes_learner_kind_page
    ON outcomes (learner_id, kind, submitted_at DESC, id DESC);
DROP INDEX outcomes_learner;

-- Learners who closed their account (account.closed): their personal data is erased
-- and stays so; a late event or an old token never brings it back.
CREATE TABLE closed_learners (
    learner_id uuid PRIMARY KEY,
    closed_at  timestamptz NOT NULL,
    erased_at  timestamptz NOT NULL DEFAULT now()
);

-- Erasing a learner's files finds them by owner.
CREATE INDEX consents_learner ON consents (learner_id);
CREATE INDEX case_reviewers_learner ON case_reviewers (learner_id);
CREATE INDEX resubmissions_outcome ON resubmissions (outcome_id);
