-- certification's own copy of the learners' consents to institutions: an
-- institution reads a learner's cases only while one of them is active
CREATE TABLE consents (
    id             uuid PRIMARY KEY,
    learner_id     uuid NOT NULL,
    institution_id uuid NOT NULL,
    -- of the grant with the latest grantedAt heard; null while only a revocation arrived
    granted_at     timestamptz,
    expires_at     timestamptz,
    revoked_at     timestamptz
);
CREATE INDEX consents_pair ON consents (institution_id, learner_id);

-- the learners a reviewer worked for: the cases they claimed or decided
CREATE INDEX case_history_by ON case_history (by_id);
