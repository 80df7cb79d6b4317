-- the review cases as certification's events (and the outcome events it opens them
-- from) tell them, one per outcome: who holds each, when it is due, the first day
-- its reminder may go out, and the due day whose reminder went out; forgotten with
-- the learner's account
CREATE TABLE review_cases (
    outcome_id   uuid PRIMARY KEY,
    learner_id   uuid NOT NULL,
    state        text NOT NULL,
    case_id      uuid,
    reviewer_id  uuid,
    due_on       date,
    remind_on    date,
    sequence     integer NOT NULL DEFAULT 0,
    reminded_for date
);
CREATE INDEX review_cases_reminders ON review_cases (remind_on)
    WHERE state = 'WAITING' AND due_on IS DISTINCT FROM reminded_for;
CREATE INDEX review_cases_learner ON review_cases (learner_id);
CREATE INDEX review_cases_reviewer ON review_cases (reviewer_id) WHERE state = 'WAITING';

-- the learners' conversions and when their credits expire (credits.converted), ACTIVE
-- until redeemed, revoked or expired; `warned_at` once the learner was told they
-- expire soon (once per conversion); forgotten with the learner's account
CREATE TABLE credit_expiries (
    conversion_id uuid PRIMARY KEY,
    learner_id    uuid NOT NULL,
    state         text NOT NULL,
    course_code   text,
    credits       numeric,
    expires_on    date,
    warned_at     timestamptz
);
CREATE INDEX credit_expiries_due ON credit_expiries (expires_on)
    WHERE state = 'ACTIVE' AND warned_at IS NULL;
CREATE INDEX credit_expiries_learner ON credit_expiries (learner_id);
