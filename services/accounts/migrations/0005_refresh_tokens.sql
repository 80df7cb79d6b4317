-- Refresh tokens, kept only as the SHA-256 of the opaque token. A sign-in starts a
-- family; each use spends a token and adds the next one to its family.
CREATE TABLE refresh_tokens (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    family_id  uuid NOT NULL,
    account_id uuid NOT NULL REFERENCES accounts (id),
    issued_at  timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    spent_at   timestamptz,
    revoked_at timestamptz,
    CHECK (expires_at > issued_at)
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_account ON refresh_tokens (account_id) WHERE revoked_at IS NULL;
