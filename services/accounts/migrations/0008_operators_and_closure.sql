-- Admins disable and enable accounts; a learner closes their own (its email and name
-- replaced, its password gone); admins list and search the open accounts, page by page.
ALTER TABLE accounts
    ADD COLUMN disabled_at     timestamptz,
    ADD COLUMN disabled_reason text,
    ADD COLUMN closed_at       timestamptz,
    ADD CHECK ((disabled_at IS NULL) = (disabled_reason IS NULL));
ALTER TABLE accounts ALTER COLUMN password_hash DROP NOT NULL;
ALTER TABLE accounts ADD CHECK (closed_at IS NOT NULL OR password_hash IS NOT NULL);

-- The admins' list: open accounts in the order they were opened, by role, disabled.
CREATE INDEX accounts_listed ON accounts (created_at, id) WHERE closed_at IS NULL;
CREATE INDEX accounts_listed_by_role ON accounts (role, created_at, id) WHERE closed_at IS NULL;
CREATE INDEX accounts_listed_disabled ON accounts (created_at, id)
    WHERE closed_at IS NULL AND disabled_at IS NOT NULL;

-- Searching by any part of an email or a name.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX accounts_email_trigrams ON accounts USING gin (lower(email) gin_trgm_ops);
CREATE INDEX accounts_name_trigrams ON accounts USING gin (lower(display_name) gin_trgm_ops);
