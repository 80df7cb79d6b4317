-- who a case's reminder went to (null: the admins, nobody held it): a case claimed
-- after its reminder went to the admins reminds the reviewer who now holds it
ALTER TABLE review_cases ADD COLUMN reminded_to uuid;
DROP INDEX review_cases_reminders;
CREATE INDEX review_cases_reminders ON review_cases (remind_on)
    WHERE state = 'WAITING'
      AND (due_on IS DISTINCT FROM reminded_for OR reviewer_id IS DISTINCT FROM reminded_to);
