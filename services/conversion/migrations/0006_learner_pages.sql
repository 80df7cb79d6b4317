-- A learner's lists page by keyset, newest first: each index matches its ORDER BY
-- (and filter), so the last page costs what the first does.
CREATE INDEX conversions_learner_page ON conversions (learner_id, converted_at, id);
CREATE INDEX conversions_learner_status_page
    ON conversions (learner_id, status, converted_at, id);
DROP INDEX conversions_learner;
CREATE INDEX refusals_learner_page ON conversion_refusals (learner_id, at, id);
CREATE INDEX certificates_learner_page ON awarded_certificates (learner_id, awarded_at, serial);
