-- Roll-ups per staff member: the same exact aggregates as response_rollups, kept only for
-- responses that name the staff member who served, so a scorecard can be filtered by person
-- while the unfiltered scorecard keeps reading the smaller per-site table. staff_id comes
-- right after survey_id in the key because every read of this table names one staff member.
CREATE TABLE response_staff_rollups (
    survey_id     INTEGER NOT NULL,
    staff_id      INTEGER NOT NULL,
    day           TEXT NOT NULL,
    question_code TEXT NOT NULL,
    part          INTEGER NOT NULL CHECK (part IN (0, 1, 2)),
    moment_id     INTEGER NOT NULL DEFAULT 0,
    site_id       INTEGER NOT NULL DEFAULT 0,
    count         INTEGER NOT NULL,
    sum           INTEGER NOT NULL,
    sum_sq        INTEGER NOT NULL,
    h0 INTEGER NOT NULL, h1 INTEGER NOT NULL, h2 INTEGER NOT NULL, h3 INTEGER NOT NULL,
    h4 INTEGER NOT NULL, h5 INTEGER NOT NULL, h6 INTEGER NOT NULL, h7 INTEGER NOT NULL,
    h8 INTEGER NOT NULL, h9 INTEGER NOT NULL, h10 INTEGER NOT NULL,
    PRIMARY KEY (survey_id, staff_id, day, question_code, part, moment_id, site_id)
) WITHOUT ROWID;

-- Surveys whose roll-ups must be recomputed from their stored responses: those answered
-- before the staff roll-ups existed. The store rebuilds them right after migrating.
CREATE TABLE rollup_rebuilds_pending (
    survey_id INTEGER PRIMARY KEY
);
INSERT INTO rollup_rebuilds_pending (survey_id)
    SELECT DISTINCT survey_id FROM responses WHERE staff_id IS NOT NULL;
