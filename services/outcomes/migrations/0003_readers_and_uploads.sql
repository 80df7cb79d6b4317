-- The latest grant's instant: with revoked_at it orders grants and revocations
-- that arrive out of order. Grants heard before count as older than any revocation.
ALTER TABLE consents ADD COLUMN granted_at timestamptz;
UPDATE consents SET granted_at = '1970-01-01T00:00:00Z' WHERE expires_at IS NOT NULL;

-- Who claimed or decided which learner's case, from certification's events: a
-- reviewer reads a learner's results while they have a case for that learner.
CREATE TABLE case_reviewers (
    outcome_id  uuid NOT NULL,
    reviewer_id uuid NOT NULL,
    learner_id  uuid NOT NULL,
    PRIMARY KEY (outcome_id, reviewer_id)
);
CREATE INDEX case_reviewers_reviewer ON case_reviewers (reviewer_id, learner_id);

-- Uploads attached to no result are deleted once old enough.
CREATE INDEX evidence_age ON evidence (uploaded_at);
