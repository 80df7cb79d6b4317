-- The consent copy orders its events: the latest grant (by grantedAt, then by when
-- its event was sent, as a re-grant keeps grantedAt) sets the expiry, and a grant
-- reopens only a revocation older than itself. A revocation may arrive before any
-- grant: its row then has no grant and no expiry yet.
ALTER TABLE consents
    ADD COLUMN granted_at    timestamptz,
    ADD COLUMN grant_sent_at timestamptz,
    ALTER COLUMN expires_at DROP NOT NULL;
-- rows from before: a grant older than anything that arrives from now on
UPDATE consents SET granted_at = 'epoch', grant_sent_at = 'epoch';

-- whose outcome each outcome is, known from its submission (or its approval), so that
-- an outcome's conversions and refusals are shown only to whom may read its learner's
CREATE TABLE outcome_learners (
    outcome_id uuid PRIMARY KEY,
    learner_id uuid NOT NULL
);
INSERT INTO outcome_learners (outcome_id, learner_id)
    SELECT outcome_id, learner_id FROM approvals;
