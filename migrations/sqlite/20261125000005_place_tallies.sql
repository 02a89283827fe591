-- Tally rows per place, and a key that finds a filter's rows directly.
-- Municipalities "@<AGS>" holds the responses serving that municipality (and not the whole
-- county), "@kreisweit" those serving the whole county: a one-municipality filter and the heat
-- map read these few rows instead of every set's. The key puts the municipalities before the
-- day and the kind, so that "all municipalities" or one place is a range of the key rather
-- than a scan over every set. The server rebuilds the tallies at start (none is marked built).
DROP TABLE tally;
DELETE FROM tally_built;

CREATE TABLE tally (
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaire (id) ON DELETE CASCADE,
    theme_code TEXT NOT NULL,
    -- The AGS codes (or kreisweit) in order, each between commas: ",05154008,05154036,";
    -- "*": the same responses again over all sets, for requests without that filter;
    -- "@<AGS>" or "@kreisweit": the same again per place, as above.
    municipalities TEXT NOT NULL,
    -- Days since 1970-01-01 of the submission in German local time, or -1 for all days.
    day INTEGER NOT NULL,
    -- '' when the response names no kind.
    org_kind TEXT NOT NULL,
    respondents INTEGER NOT NULL,
    -- LEB128 pairs (slot id, count), slot ids ascending.
    counts BLOB NOT NULL,
    PRIMARY KEY (questionnaire_id, theme_code, municipalities, day, org_kind)
) WITHOUT ROWID;

-- Several municipalities match the rows of every set that names one of them: over all days
-- these are found by the day first.
CREATE INDEX tally_by_day ON tally (questionnaire_id, theme_code, day, municipalities);
