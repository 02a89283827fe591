-- Survey waves: questionnaires grouped into a series (e.g. "Bedarfsanalyse" 2018, 2026), so
-- that the dashboards can compare a wave with an earlier one. Every questionnaire belongs to
-- exactly one series; the ones from before become a series of one wave each, labelled with
-- the year they were created (German time is within an hour of UTC: the year is the same but
-- on New Year's Eve night, which a label can be corrected from).
CREATE TABLE survey_series (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE survey_wave (
    questionnaire_id INTEGER PRIMARY KEY REFERENCES questionnaire (id) ON DELETE CASCADE,
    series_id INTEGER NOT NULL REFERENCES survey_series (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    -- Order within the series: the earlier wave first.
    position INTEGER NOT NULL,
    UNIQUE (series_id, label),
    UNIQUE (series_id, position)
);

INSERT INTO survey_series (id, title, created_at)
    SELECT id, title, created_at FROM questionnaire;
INSERT INTO survey_wave (questionnaire_id, series_id, label, position)
    SELECT id, id, strftime('%Y', created_at / 1000, 'unixepoch'), 1 FROM questionnaire;

-- An explicit match of a later wave's question to an earlier wave's question, where codes,
-- options or rows changed. Without a row, questions match by code when kind, options, rows
-- and columns agree. `earlier_code` empty: the question is deliberately not compared.
CREATE TABLE wave_mapping (
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaire (id) ON DELETE CASCADE,
    question_code TEXT NOT NULL,
    earlier_questionnaire_id INTEGER NOT NULL REFERENCES questionnaire (id) ON DELETE CASCADE,
    earlier_code TEXT NOT NULL,
    -- Options or matrix rows, later code → earlier code, as JSON pairs.
    value_map TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (questionnaire_id, question_code, earlier_questionnaire_id)
);
