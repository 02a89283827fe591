-- The free texts of submitted responses, for the dashboards' search: kept in the transactions
-- that submit, re-open and delete a response, like the tallies, with the columns the filters
-- need, so that a search reads neither the answers nor the responses.
-- pg_trgm is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE response_text (
    -- The question's id times 2^32 plus the response's (the same ids as on SQLite).
    id BIGINT PRIMARY KEY,
    questionnaire_id BIGINT NOT NULL REFERENCES questionnaire (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL,
    -- Milliseconds since the epoch.
    submitted_at BIGINT NOT NULL,
    response_id BIGINT NOT NULL,
    org_kind TEXT NOT NULL,
    -- The AGS codes (or kreisweit) in order, each between commas, as in tally.
    municipalities TEXT NOT NULL,
    value TEXT NOT NULL,
    -- The value in lower case, as the search compares it.
    folded TEXT NOT NULL
);

-- A question's texts newest first.
CREATE INDEX response_text_newest ON response_text (question_id, submitted_at, response_id);
-- Substrings of at least three characters, found by the trigrams they contain.
CREATE INDEX response_text_search ON response_text USING gin (folded gin_trgm_ops);

-- Texts are no longer listed by walking the responses: their index needs no more than its key.
DROP INDEX response_submitted;
CREATE INDEX response_submitted ON response (questionnaire_id, status, submitted_at);

-- The server rebuilds the tallies, and with them these texts, at start.
DELETE FROM tally_built;
