-- One row per conversion: the credits the learner holds from it, and their state.
CREATE TABLE redemptions (
    id             uuid PRIMARY KEY,
    learner_id     uuid NOT NULL REFERENCES accounts (id),
    institution_id uuid NOT NULL REFERENCES accounts (id),
    course_code    text NOT NULL,
    credits        numeric(10, 1) NOT NULL CHECK (credits > 0),
    redeemed_at    timestamptz NOT NULL
);

CREATE TABLE credits (
    conversion_id uuid PRIMARY KEY,
    learner_id    uuid NOT NULL REFERENCES accounts (id),
    course_code   text NOT NULL,
    credits       numeric(6, 1) NOT NULL CHECK (credits > 0),
    expires_on    date,
    status        text NOT NULL CHECK (status IN ('ACTIVE', 'REDEEMED', 'EXPIRED', 'REVOKED')),
    redemption_id uuid REFERENCES redemptions (id)
);
CREATE INDEX credits_learner ON credits (learner_id);
CREATE INDEX credits_expiring ON credits (expires_on)
    WHERE status = 'ACTIVE' AND expires_on IS NOT NULL;

-- Append-only: rows are inserted, never updated or deleted.
CREATE TABLE ledger_entries (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             uuid NOT NULL UNIQUE,
    learner_id     uuid NOT NULL REFERENCES accounts (id),
    kind           text NOT NULL CHECK (kind IN ('CONVERTED', 'REDEEMED', 'EXPIRED', 'REVOKED')),
    credits        numeric(6, 1) NOT NULL,
    course_code    text,
    conversion_id  uuid,
    institution_id uuid REFERENCES accounts (id),
    occurred_at    timestamptz NOT NULL,
    note           text,
    CHECK ((kind = 'CONVERTED') = (credits > 0) AND credits <> 0),
    UNIQUE (conversion_id, kind)
);
CREATE INDEX ledger_entries_learner ON ledger_entries (learner_id, seq);

-- The running sums of each learner's entries, moved in the transaction of each
-- entry; every learner has one from the start.
CREATE TABLE balances (
    learner_id uuid PRIMARY KEY REFERENCES accounts (id),
    available  numeric(12, 1) NOT NULL CHECK (available >= 0),
    redeemed   numeric(12, 1) NOT NULL CHECK (redeemed >= 0),
    expired    numeric(12, 1) NOT NULL CHECK (expired >= 0),
    earned     numeric(12, 1) NOT NULL CHECK (earned >= 0)
);
INSERT INTO balances (learner_id, available, redeemed, expired, earned)
    SELECT id, 0, 0, 0, 0 FROM accounts WHERE role = 'LEARNER';
