-- Questionnaires, organisations, responses and answers (SQLite).
-- Times are milliseconds since the Unix epoch (UTC); flags are 0/1 integers, so that the
-- same statements run on SQLite and PostgreSQL.

CREATE TABLE municipality (
    ags TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    is_town INTEGER NOT NULL
);

CREATE TABLE org_kind (
    code TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE questionnaire (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    intro TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    deadline TEXT,
    -- Bumped on every structural change; caches compare it.
    revision INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE theme (
    id INTEGER PRIMARY KEY,
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaire (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    intro TEXT,
    UNIQUE (questionnaire_id, code)
);

CREATE TABLE question (
    id INTEGER PRIMARY KEY,
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaire (id) ON DELETE CASCADE,
    theme_id INTEGER NOT NULL REFERENCES theme (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    text TEXT NOT NULL,
    help TEXT,
    required INTEGER NOT NULL,
    kind TEXT NOT NULL,
    -- The kind's options, rows, columns, scale or bounds as JSON.
    spec TEXT NOT NULL,
    condition TEXT,
    reference TEXT,
    UNIQUE (questionnaire_id, code)
);
CREATE INDEX question_theme ON question (theme_id, position);

CREATE TABLE organisation (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL REFERENCES org_kind (code),
    email TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE organisation_municipality (
    organisation_id INTEGER NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    ags TEXT NOT NULL,
    PRIMARY KEY (organisation_id, ags)
);

-- One response per link: a personal invitation (bound to an organisation) or a response
-- started through the open link. Only the SHA-256 of the link's token is stored.
CREATE TABLE response (
    id INTEGER PRIMARY KEY,
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaire (id) ON DELETE CASCADE,
    organisation_id INTEGER REFERENCES organisation (id) ON DELETE SET NULL,
    token_hash TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL CHECK (channel IN ('invitation', 'open')),
    status TEXT NOT NULL CHECK (status IN ('invited', 'draft', 'submitted', 'revoked')),
    current_page INTEGER NOT NULL DEFAULT 0,
    -- Incremented by every write of answers: saves check it to detect a concurrent save.
    version INTEGER NOT NULL DEFAULT 0,
    org_kind TEXT,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    updated_at INTEGER NOT NULL,
    submitted_at INTEGER
);
CREATE INDEX response_questionnaire_status ON response (questionnaire_id, status);

CREATE TABLE response_municipality (
    response_id INTEGER NOT NULL REFERENCES response (id) ON DELETE CASCADE,
    ags TEXT NOT NULL,
    PRIMARY KEY (response_id, ags)
) WITHOUT ROWID;

-- One row per stored value: several for a multiple choice (position orders them), one per
-- matrix row (row_code), one for the "other, namely" text.
CREATE TABLE answer (
    response_id INTEGER NOT NULL REFERENCES response (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES question (id) ON DELETE CASCADE,
    row_code TEXT NOT NULL,
    position INTEGER NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id, row_code, position)
) WITHOUT ROWID;
CREATE INDEX answer_question ON answer (question_id);
