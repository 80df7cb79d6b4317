-- Every refusal explains itself by a code and its parameters, rendered in the
-- request's language when read; a refusal that reached no course (no rule for the
-- credential) names none. The rule version applied is kept with it.
ALTER TABLE conversion_refusals
    ALTER COLUMN course_code DROP NOT NULL,
    ADD COLUMN code         text,
    ADD COLUMN params       jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN rule_version integer;
-- rows from before keep their English reason as the parameters' fallback text
UPDATE conversion_refusals SET
    code = CASE
        WHEN reason LIKE '%: granted % of % credits' THEN 'PARTIAL'
        WHEN reason = 'course already credited' THEN 'ALREADY_CREDITED'
        WHEN reason LIKE 'rule not valid on %' THEN 'NOT_VALID_ON'
        WHEN reason LIKE 'needs at least %' THEN 'BELOW_MIN_HOURS'
        WHEN reason LIKE 'annual cap reached%' THEN 'ANNUAL_CAP'
        WHEN reason LIKE 'major cap reached%' THEN 'MAJOR_CAP'
        ELSE 'OTHER'
    END,
    params = jsonb_build_object('text', reason),
    rule_version = CASE WHEN rule_id IS NULL THEN NULL ELSE 1 END;
ALTER TABLE conversion_refusals
    ALTER COLUMN code SET NOT NULL,
    DROP COLUMN reason;

-- a conversion keeps the rule version it was granted under (rows from before: 1)
ALTER TABLE conversions ADD COLUMN rule_version integer NOT NULL DEFAULT 1
    CHECK (rule_version >= 1);
ALTER TABLE conversions ALTER COLUMN rule_version DROP DEFAULT;

-- learners who closed their account (account.closed): their figures stay, by id only
CREATE TABLE closed_learners (
    learner_id uuid PRIMARY KEY,
    closed_at  timestamptz NOT NULL
);
