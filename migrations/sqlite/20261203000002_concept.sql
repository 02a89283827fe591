-- The integration concept (SQLite): per theme (by code) its introduction, the evidence taken
-- over from the dashboards, findings citing it, goals, measures under goals with their
-- municipalities, progress notes, status changes and indicators with later values.
-- Every editable row carries a revision, so that two people never overwrite each other.

CREATE TABLE concept_theme (
    theme_code TEXT PRIMARY KEY,
    introduction TEXT NOT NULL,
    revision INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- A figure as the dashboard showed it (never more), kept as it was on the day.
CREATE TABLE concept_evidence (
    id INTEGER PRIMARY KEY,
    theme_code TEXT NOT NULL,
    questionnaire_id INTEGER NOT NULL,
    questionnaire_title TEXT NOT NULL,
    question_code TEXT NOT NULL,
    question_text TEXT NOT NULL,
    item_code TEXT NOT NULL,
    item_label TEXT NOT NULL,
    view_query TEXT NOT NULL,
    view_description TEXT NOT NULL,
    value_text TEXT NOT NULL,
    value REAL,
    n INTEGER NOT NULL,
    taken_at INTEGER NOT NULL,
    taken_by TEXT NOT NULL
);
CREATE INDEX concept_evidence_theme ON concept_evidence (theme_code);

CREATE TABLE concept_finding (
    id INTEGER PRIMARY KEY,
    theme_code TEXT NOT NULL,
    text TEXT NOT NULL,
    revision INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX concept_finding_theme ON concept_finding (theme_code);

CREATE TABLE concept_finding_evidence (
    finding_id INTEGER NOT NULL REFERENCES concept_finding (id) ON DELETE CASCADE,
    evidence_id INTEGER NOT NULL REFERENCES concept_evidence (id) ON DELETE CASCADE,
    PRIMARY KEY (finding_id, evidence_id)
);
CREATE INDEX concept_finding_evidence_evidence ON concept_finding_evidence (evidence_id);

CREATE TABLE concept_goal (
    id INTEGER PRIMARY KEY,
    theme_code TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    revision INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX concept_goal_theme ON concept_goal (theme_code);

CREATE TABLE concept_measure (
    id INTEGER PRIMARY KEY,
    goal_id INTEGER NOT NULL REFERENCES concept_goal (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    -- Set when the responsible organisation is one of the register; the name is kept as typed.
    responsible_organisation_id INTEGER REFERENCES organisation (id) ON DELETE SET NULL,
    responsible TEXT NOT NULL,
    partners TEXT NOT NULL,
    county_wide INTEGER NOT NULL,
    -- Calendar dates as YYYY-MM-DD.
    starts_on TEXT,
    ends_on TEXT,
    budget_cents INTEGER,
    status TEXT NOT NULL CHECK (status IN ('geplant', 'in_umsetzung', 'umgesetzt', 'verstetigt', 'zurueckgestellt')),
    revision INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX concept_measure_goal ON concept_measure (goal_id);

CREATE TABLE concept_measure_municipality (
    measure_id INTEGER NOT NULL REFERENCES concept_measure (id) ON DELETE CASCADE,
    ags TEXT NOT NULL,
    PRIMARY KEY (measure_id, ags)
);

-- Each change of status, for the council's progress report ("what changed since").
CREATE TABLE concept_measure_status (
    id INTEGER PRIMARY KEY,
    measure_id INTEGER NOT NULL REFERENCES concept_measure (id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    status TEXT NOT NULL
);
CREATE INDEX concept_measure_status_measure ON concept_measure_status (measure_id);

CREATE TABLE concept_note (
    id INTEGER PRIMARY KEY,
    measure_id INTEGER NOT NULL REFERENCES concept_measure (id) ON DELETE CASCADE,
    noted_on TEXT NOT NULL,
    text TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX concept_note_measure ON concept_note (measure_id);

CREATE TABLE concept_indicator (
    id INTEGER PRIMARY KEY,
    measure_id INTEGER NOT NULL REFERENCES concept_measure (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    baseline REAL,
    baseline_on TEXT,
    baseline_source TEXT NOT NULL,
    baseline_evidence_id INTEGER REFERENCES concept_evidence (id) ON DELETE SET NULL,
    target REAL,
    revision INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX concept_indicator_measure ON concept_indicator (measure_id);

CREATE TABLE concept_indicator_value (
    id INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES concept_indicator (id) ON DELETE CASCADE,
    measured_on TEXT NOT NULL,
    value REAL NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX concept_indicator_value_indicator ON concept_indicator_value (indicator_id);
