-- Per-site roll-ups per calendar month, beside the daily ones and kept in the same
-- transaction, so a year-long scorecard reads at most twelve rows per question, moment and
-- site for the whole months of its range (plus the daily rows of the partial months at its
-- edges) instead of 365. `month` is the first day of the month (YYYY-MM-01). The figures
-- are the daily rows summed, so they are filled here from what is already rolled up.
CREATE TABLE response_month_rollups (
    survey_id     INTEGER NOT NULL,
    month         TEXT NOT NULL,
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
    PRIMARY KEY (survey_id, month, question_code, part, moment_id, site_id)
) WITHOUT ROWID;

INSERT INTO response_month_rollups (survey_id, month, question_code, part, moment_id, site_id,
        count, sum, sum_sq, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10)
    SELECT survey_id, substr(day, 1, 8) || '01', question_code, part, moment_id, site_id,
           sum(count), sum(sum), sum(sum_sq), sum(h0), sum(h1), sum(h2), sum(h3), sum(h4),
           sum(h5), sum(h6), sum(h7), sum(h8), sum(h9), sum(h10)
    FROM response_rollups
    GROUP BY survey_id, substr(day, 1, 8) || '01', question_code, part, moment_id, site_id;
