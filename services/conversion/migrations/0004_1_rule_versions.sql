-- Rules are versioned: an edit makes a new version in force from a day. The row in
-- conversion_rules stays (conversions refer to it) and holds the newest version;
-- conversion_rule_versions keeps every version, the one in force on a day being the
-- latest whose effective_from is on or before it. A rule is retired from a day on
-- (nothing is deleted): from then it converts nothing.
ALTER TABLE conversion_rules
    ADD COLUMN version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    ADD COLUMN effective_from date,
    ADD COLUMN retired_from   date;
UPDATE conversion_rules SET effective_from = valid_from;
ALTER TABLE conversion_rules ALTER COLUMN effective_from SET NOT NULL;

CREATE TABLE conversion_rule_versions (
    rule_id               uuid NOT NULL REFERENCES conversion_rules (id),
    version               integer NOT NULL CHECK (version >= 1),
    effective_from        date NOT NULL,
    credential_code       text REFERENCES credential_types (code),
    outcome_kind          text,
    min_hours             integer,
    course_code           text NOT NULL REFERENCES courses (code),
    credits               numeric(5, 1) NOT NULL CHECK (credits > 0),
    valid_from            date NOT NULL,
    valid_until           date,
    credit_validity_years integer,
    allow_partial         boolean NOT NULL,
    changed_by            uuid,
    changed_at            timestamptz NOT NULL,
    PRIMARY KEY (rule_id, version),
    CHECK (credential_code IS NOT NULL OR outcome_kind IS NOT NULL),
    CHECK (valid_until IS NULL OR valid_until > valid_from)
);
-- which rules an outcome reaches, by credential or (without one) by kind
CREATE INDEX rule_versions_credential ON conversion_rule_versions (credential_code);
CREATE INDEX rule_versions_kind ON conversion_rule_versions (outcome_kind)
    WHERE credential_code IS NULL;
-- the version in force on a day
CREATE INDEX rule_versions_in_force
    ON conversion_rule_versions (rule_id, effective_from DESC, version DESC);

-- every rule kept so far is its own version 1, in force from its validFrom
INSERT INTO conversion_rule_versions (
    rule_id, version, effective_from, credential_code, outcome_kind, min_hours, course_code,
    credits, valid_from, valid_until, credit_validity_years, allow_partial, changed_by, changed_at
)
SELECT id, 1, valid_from, credential_code, outcome_kind, min_hours, course_code, credits,
       valid_from, valid_until, credit_validity_years, allow_partial, NULL, now()
FROM conversion_rules;

-- nothing in the catalog is deleted: an entry is retired from a day on
ALTER TABLE majors ADD COLUMN retired_from date;
ALTER TABLE courses ADD COLUMN retired_from date;
ALTER TABLE credential_types ADD COLUMN retired_from date;
ALTER TABLE certificate_programs ADD COLUMN retired_from date;
