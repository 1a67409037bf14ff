-- Roll-ups per staff member: the same exact aggregates as response_rollups, kept only for
-- responses that name the staff member who served, so a scorecard can be filtered by person
-- while the unfiltered scorecard keeps reading the smaller per-site table. staff_id comes
-- right after survey_id in the key because every read of this table names one staff member.
CREATE TABLE response_staff_rollups (
    survey_id     BIGINT NOT NULL CONSTRAINT response_staff_rollups_survey_fk REFERENCES surveys (id),
    staff_id      BIGINT NOT NULL,
    question_code TEXT NOT NULL,
    part          TEXT NOT NULL CHECK (part IN ('score', 'expectation', 'perception')),
    moment_id     BIGINT NOT NULL DEFAULT 0,
    site_id       BIGINT NOT NULL DEFAULT 0,
    day           DATE NOT NULL,
    count         BIGINT NOT NULL,
    sum           BIGINT NOT NULL,
    sum_sq        BIGINT NOT NULL,
    h0            BIGINT NOT NULL DEFAULT 0,
    h1            BIGINT NOT NULL DEFAULT 0,
    h2            BIGINT NOT NULL DEFAULT 0,
    h3            BIGINT NOT NULL DEFAULT 0,
    h4            BIGINT NOT NULL DEFAULT 0,
    h5            BIGINT NOT NULL DEFAULT 0,
    h6            BIGINT NOT NULL DEFAULT 0,
    h7            BIGINT NOT NULL DEFAULT 0,
    h8            BIGINT NOT NULL DEFAULT 0,
    h9            BIGINT NOT NULL DEFAULT 0,
    h10           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (survey_id, staff_id, question_code, part, moment_id, site_id, day)
);
CREATE INDEX response_staff_rollups_day_idx ON response_staff_rollups (survey_id, staff_id, day);

-- Surveys whose roll-ups must be recomputed from their stored responses: those answered
-- before the staff roll-ups existed. The store rebuilds them right after migrating; with
-- several nodes each survey is claimed by one (FOR UPDATE SKIP LOCKED).
CREATE TABLE rollup_rebuilds_pending (
    survey_id BIGINT PRIMARY KEY REFERENCES surveys (id)
);
INSERT INTO rollup_rebuilds_pending (survey_id)
    SELECT DISTINCT survey_id FROM responses WHERE staff_id IS NOT NULL;
