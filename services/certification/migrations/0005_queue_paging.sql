-- reviewQueueConnection pages by keyset over (due_on, id), oldest due first: each
-- common filter reads its own index in that order, so the last page of 50,000
-- cases costs what the first does. The default statuses (PENDING, IN_REVIEW) are
-- written literally, as the queries do, so the planner matches the partial indexes.
CREATE INDEX cases_open_due ON cases (due_on, id)
    WHERE status IN ('PENDING', 'IN_REVIEW');
CREATE INDEX cases_status_due ON cases (status, due_on, id);
-- mine (reviewer_id = the caller) and unclaimed (reviewer_id IS NULL)
CREATE INDEX cases_reviewer_open_due ON cases (reviewer_id, due_on, id)
    WHERE status IN ('PENDING', 'IN_REVIEW');
CREATE INDEX cases_reviewer_status_due ON cases (reviewer_id, status, due_on, id);
-- by the outcome's kind
CREATE INDEX cases_kind_open_due ON cases (kind, due_on, id)
    WHERE status IN ('PENDING', 'IN_REVIEW');
CREATE INDEX cases_kind_status_due ON cases (kind, status, due_on, id);
-- by learner (also every lookup of a learner's cases, which cases_learner served)
CREATE INDEX cases_learner_due ON cases (learner_id, due_on, id);
DROP INDEX cases_learner;
