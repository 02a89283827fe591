-- The free texts of submitted responses, for the dashboards' search: kept in the transactions
-- that submit, re-open and delete a response, like the tallies, with the columns the filters
-- need, so that a search reads neither the answers nor the responses.
CREATE TABLE response_text (
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaire (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL,
    -- Milliseconds since the epoch.
    submitted_at INTEGER NOT NULL,
    response_id INTEGER NOT NULL,
    -- The question's id times 2^32 plus the response's: a question's texts are one range of
    -- the search index's rowids, to which a search is limited.
    id INTEGER NOT NULL UNIQUE,
    org_kind TEXT NOT NULL,
    -- The AGS codes (or kreisweit) in order, each between commas, as in tally.
    municipalities TEXT NOT NULL,
    value TEXT NOT NULL,
    -- The value in lower case, as the search compares it.
    folded TEXT NOT NULL,
    -- A question's texts newest first, in one stretch of the table.
    PRIMARY KEY (question_id, submitted_at, response_id)
) WITHOUT ROWID;

-- Substrings of at least three characters, found by the trigrams they contain. Contentless:
-- the texts are in response_text already.
CREATE VIRTUAL TABLE response_text_search USING fts5 (
    folded, content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1'
);

CREATE TRIGGER response_text_added AFTER INSERT ON response_text BEGIN
    INSERT INTO response_text_search (rowid, folded) VALUES (new.id, new.folded);
END;

CREATE TRIGGER response_text_removed AFTER DELETE ON response_text BEGIN
    DELETE FROM response_text_search WHERE rowid = old.id;
END;

-- The server rebuilds the tallies, and with them these texts, at start.
DELETE FROM tally_built;
