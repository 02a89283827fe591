-- Imports from other survey tools (SQLite): each structure import with its report (what could
-- not be carried over, the language taken) and the map from the source's response columns to
-- the draft's questions; each response import; and the responses it wrote.

CREATE TABLE structure_import (
    id INTEGER PRIMARY KEY,
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaire (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    -- 'lss', 'tsv' or 'xlsx'.
    format TEXT NOT NULL,
    -- One sentence on the language taken (and those left out), or ''.
    note TEXT NOT NULL,
    -- JSON list of {code, reason}.
    unmapped TEXT NOT NULL,
    -- JSON code map for the response import, or NULL for formats without one.
    code_map TEXT,
    actor TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX structure_import_questionnaire ON structure_import (questionnaire_id);

CREATE TABLE response_import (
    id INTEGER PRIMARY KEY,
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaire (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    imported INTEGER NOT NULL,
    -- Rows without submission date (incomplete in the source), not imported.
    skipped INTEGER NOT NULL,
    actor TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX response_import_questionnaire ON response_import (questionnaire_id);

-- Responses that came from a file, not from a link (their token hash is random: no link
-- reaches them).
ALTER TABLE response ADD COLUMN import_id INTEGER REFERENCES response_import (id) ON DELETE SET NULL;
