-- the review queue reads cases oldest due first: the default page (cases waiting
-- on a reviewer) from a partial index, a single status from its own
DROP INDEX cases_queue;
CREATE INDEX cases_open_queue ON cases (due_on, submitted_on, id)
    WHERE status IN ('PENDING', 'IN_REVIEW');
CREATE INDEX cases_status_queue ON cases (status, due_on, submitted_on, id);
