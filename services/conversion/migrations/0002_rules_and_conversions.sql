ALTER TABLE majors ADD COLUMN credential_credit_cap numeric(6, 1);

CREATE TABLE courses (
    code       text PRIMARY KEY,
    name       text NOT NULL,
    credits    numeric(5, 1) NOT NULL CHECK (credits > 0),
    major_code text NOT NULL REFERENCES majors (code)
);
CREATE INDEX courses_major ON courses (major_code);

CREATE TABLE credential_types (
    code      text PRIMARY KEY,
    name      text NOT NULL,
    authority text NOT NULL
);

CREATE TABLE conversion_rules (
    id                    uuid PRIMARY KEY,
    credential_code       text REFERENCES credential_types (code),
    outcome_kind          text,
    min_hours             integer,
    course_code           text NOT NULL REFERENCES courses (code),
    credits               numeric(5, 1) NOT NULL CHECK (credits > 0),
    valid_from            date NOT NULL,
    valid_until           date,
    credit_validity_years integer,
    allow_partial         boolean NOT NULL DEFAULT false,
    CHECK (credential_code IS NOT NULL OR outcome_kind IS NOT NULL),
    CHECK (valid_until IS NULL OR valid_until > valid_from)
);
CREATE INDEX rules_credential ON conversion_rules (credential_code);
CREATE INDEX rules_kind ON conversion_rules (outcome_kind) WHERE credential_code IS NULL;
CREATE INDEX rules_course ON conversion_rules (course_code);

CREATE TABLE certificate_programs (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    min_credits numeric(6, 1)
);
CREATE TABLE program_courses (
    program_code text NOT NULL REFERENCES certificate_programs (code) ON DELETE CASCADE,
    course_code  text NOT NULL REFERENCES courses (code),
    position     integer NOT NULL,
    PRIMARY KEY (program_code, course_code)
);
CREATE INDEX program_courses_course ON program_courses (course_code);

-- one row: caps that apply to every learner
CREATE TABLE conversion_caps (
    singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    annual_credits numeric(6, 1) NOT NULL DEFAULT 42 CHECK (annual_credits > 0)
);
INSERT INTO conversion_caps DEFAULT VALUES;

-- certified outcomes seen, one per outcome: a second approval of one outcome adds nothing
CREATE TABLE approvals (
    outcome_id      uuid PRIMARY KEY,
    case_id         uuid NOT NULL,
    learner_id      uuid NOT NULL,
    kind            text NOT NULL,
    credential_code text,
    hours           integer,
    achieved_on     date NOT NULL,
    decided_at      timestamptz NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX approvals_learner ON approvals (learner_id);

CREATE TABLE conversions (
    id           uuid PRIMARY KEY,
    outcome_id   uuid NOT NULL REFERENCES approvals (outcome_id),
    learner_id   uuid NOT NULL,
    course_code  text NOT NULL REFERENCES courses (code),
    major_code   text NOT NULL,
    rule_id      uuid NOT NULL REFERENCES conversion_rules (id),
    credits      numeric(5, 1) NOT NULL CHECK (credits > 0),
    cap_year     integer NOT NULL,
    status       text NOT NULL DEFAULT 'ACTIVE',
    converted_at timestamptz NOT NULL,
    expires_on   date,
    revoked_at   timestamptz,
    revoke_reason text
);
CREATE INDEX conversions_learner ON conversions (learner_id);
CREATE INDEX conversions_outcome ON conversions (outcome_id);
-- the once-per-course rule, kept by the database too
CREATE UNIQUE INDEX conversions_once_per_course
    ON conversions (learner_id, course_code) WHERE status <> 'REVOKED';

CREATE TABLE conversion_refusals (
    id          bigserial PRIMARY KEY,
    outcome_id  uuid NOT NULL REFERENCES approvals (outcome_id),
    learner_id  uuid NOT NULL,
    course_code text NOT NULL REFERENCES courses (code),
    rule_id     uuid REFERENCES conversion_rules (id),
    reason      text NOT NULL,
    at          timestamptz NOT NULL
);
CREATE INDEX refusals_outcome ON conversion_refusals (outcome_id);

CREATE SEQUENCE certificate_serials;
CREATE TABLE awarded_certificates (
    serial       text PRIMARY KEY,
    program_code text NOT NULL REFERENCES certificate_programs (code),
    learner_id   uuid NOT NULL,
    awarded_at   timestamptz NOT NULL,
    flagged_at   timestamptz,
    flag_reason  text,
    UNIQUE (learner_id, program_code)
);

CREATE TABLE consents (
    consent_id     uuid PRIMARY KEY,
    learner_id     uuid NOT NULL,
    institution_id uuid NOT NULL,
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz
);
CREATE INDEX consents_pair ON consents (institution_id, learner_id);
