-- Failed sign-ins per normalised email, whether or not an account has it.
CREATE TABLE sign_in_failures (
    email          text PRIMARY KEY,
    failures       integer NOT NULL CHECK (failures > 0),
    last_failed_at timestamptz NOT NULL,
    locked_until   timestamptz
);

CREATE INDEX accounts_admins ON accounts (created_at) WHERE role = 'ADMIN';

CREATE TABLE consents (
    id             uuid PRIMARY KEY,
    learner_id     uuid NOT NULL REFERENCES accounts (id),
    institution_id uuid NOT NULL REFERENCES accounts (id),
    granted_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz,
    CHECK (expires_at > granted_at)
);
CREATE INDEX consents_learner ON consents (learner_id, institution_id);
CREATE INDEX consents_institution ON consents (institution_id, learner_id);
