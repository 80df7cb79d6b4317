-- Institutions' public profiles, the courses they offer (from accounts' replica of the
-- catalog's courses), reversed redemptions, and indexes for the paged lists.
CREATE TABLE institutions (
    account_id uuid PRIMARY KEY REFERENCES accounts (id),
    code       text NOT NULL CHECK (code = upper(code) AND code <> ''),
    name_zh    text NOT NULL CHECK (name_zh <> ''),
    name_en    text NOT NULL CHECK (name_en <> ''),
    city       text NOT NULL CHECK (city <> ''),
    updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX institutions_code ON institutions (code, account_id);
CREATE UNIQUE INDEX institutions_unique_code ON institutions (code);

-- The catalog's courses as conversion announces them (catalog.course_changed); the
-- newest changedAt wins.
CREATE TABLE catalog_courses (
    code         text PRIMARY KEY,
    major_code   text NOT NULL,
    name_zh      text,
    name_en      text,
    credits      numeric(6, 1) NOT NULL,
    retired_from date,
    changed_at   timestamptz NOT NULL
);
CREATE UNIQUE INDEX catalog_courses_upper_code ON catalog_courses (upper(code));

CREATE TABLE courses_offered (
    institution_id uuid NOT NULL REFERENCES institutions (account_id),
    course_code    text NOT NULL REFERENCES catalog_courses (code),
    PRIMARY KEY (institution_id, course_code)
);

-- A redemption an institution reversed: its credits went back to the learner.
ALTER TABLE redemptions
    ADD COLUMN reversed_at timestamptz,
    ADD COLUMN reversal_reason text,
    ADD CHECK ((reversed_at IS NULL) = (reversal_reason IS NULL));
CREATE INDEX redemptions_learner ON redemptions (learner_id, redeemed_at DESC, id DESC);
CREATE INDEX redemptions_institution ON redemptions (institution_id, redeemed_at DESC, id DESC);
CREATE INDEX credits_redemption ON credits (redemption_id) WHERE redemption_id IS NOT NULL;

-- A reversal returns redeemed credits (a positive entry); a lot can be redeemed again
-- after a reversal, so only conversion, expiry and revocation happen once per lot.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
    CHECK (kind IN ('CONVERTED', 'REDEEMED', 'EXPIRED', 'REVOKED', 'REVERSED'));
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_sign_check
    CHECK ((kind IN ('CONVERTED', 'REVERSED')) = (credits > 0) AND credits <> 0);
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_conversion_id_kind_key;
CREATE UNIQUE INDEX ledger_entries_once ON ledger_entries (conversion_id, kind)
    WHERE kind IN ('CONVERTED', 'EXPIRED', 'REVOKED');

-- Consents page newest first, per learner and per institution.
CREATE INDEX consents_learner_granted ON consents (learner_id, granted_at DESC, id DESC);
CREATE INDEX consents_institution_granted
    ON consents (institution_id, granted_at DESC, id DESC);
