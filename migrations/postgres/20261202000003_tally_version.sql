-- Counts every change of a questionnaire's tallies, in the transaction that makes it, so that
-- the dashboards (of every instance) keep a theme's disclosure audit while it is unchanged.
CREATE TABLE tally_version (
    questionnaire_id INTEGER PRIMARY KEY REFERENCES questionnaire (id) ON DELETE CASCADE,
    version BIGINT NOT NULL
);
