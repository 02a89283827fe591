-- The newest submissions of a filter from the index alone: listing free texts walks responses
-- newest first and checks their kind, which otherwise reads each response row (at a million
-- responses 180 ms instead of 40 ms for Kitas in Kleve).
DROP INDEX response_submitted;
CREATE INDEX response_submitted ON response (questionnaire_id, status, submitted_at) INCLUDE (id, org_kind);
