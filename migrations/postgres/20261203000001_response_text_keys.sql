-- The same keys as on SQLite, where (question_id, submitted_at, response_id) is the primary key
-- (the table is clustered by it): a response has one text per question, so the key is unique.
DROP INDEX response_text_newest;
CREATE UNIQUE INDEX response_text_newest ON response_text (question_id, submitted_at, response_id);
