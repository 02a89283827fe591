-- Dashboard counts, kept up to date in the transactions that submit, re-open or delete a
-- response, so that a dashboard sums a few thousand rows instead of reading every answer.
-- A row holds, for one theme, the submitted responses a dashboard filter cannot tell apart:
-- same kind of organisation, same set of municipalities served, same day of submission in
-- German time. Rows with day -1 hold the same over all days, for requests without a period.

-- The counted (question, matrix row, value) combinations, numbered so that a row can store
-- its counts as a compact list of (slot, count) pairs. Row code "*" counts the responses that
-- answered the question at all; an "other" text counts under its row with the value ''.
CREATE TABLE tally_slot (
    id INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES question (id) ON DELETE CASCADE,
    row_code TEXT NOT NULL,
    value TEXT NOT NULL,
    UNIQUE (question_id, row_code, value)
);

CREATE TABLE tally (
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaire (id) ON DELETE CASCADE,
    theme_code TEXT NOT NULL,
    -- Days since 1970-01-01 of the submission in German local time, or -1 for all days.
    day INTEGER NOT NULL,
    -- '' when the response names no kind.
    org_kind TEXT NOT NULL,
    -- The AGS codes (or kreisweit) in order, each between commas: ",05154008,05154036,";
    -- or "*": the same responses again over all sets, for requests without that filter.
    municipalities TEXT NOT NULL,
    respondents INTEGER NOT NULL,
    -- LEB128 pairs (slot id, count), slot ids ascending.
    counts BLOB NOT NULL,
    PRIMARY KEY (questionnaire_id, theme_code, day, org_kind, municipalities)
) WITHOUT ROWID;

-- Questionnaires whose tallies were built from their responses; the server builds the missing
-- ones at start (for data from before this table, and after bulk inserts).
CREATE TABLE tally_built (
    questionnaire_id INTEGER PRIMARY KEY REFERENCES questionnaire (id) ON DELETE CASCADE
);

-- Submitted responses by submission time: period filters and the newest free texts.
CREATE INDEX response_submitted ON response (questionnaire_id, status, submitted_at);
