-- Improvement: the complaint analysis' assumptions, requirements per moment, and action plans
-- with the moments they cover and the requirements they answer.

-- One row (id = 1) once the organisation sets its own; absent means the defaults (25, 11, 3).
CREATE TABLE complaint_assumptions (
    id                   INTEGER PRIMARY KEY CHECK (id = 1),
    silent_per_complaint REAL NOT NULL,
    told_by_dissatisfied REAL NOT NULL,
    told_by_satisfied    REAL NOT NULL,
    updated_at           TEXT NOT NULL
);

-- The complaint analysis reads one service's complaints of a period.
CREATE INDEX complaints_service_idx ON complaints (service_key, received_at);

CREATE TABLE requirements (
    id                  INTEGER PRIMARY KEY,
    service_id          INTEGER NOT NULL REFERENCES services (id),
    moment_key          TEXT NOT NULL,
    site_id             INTEGER REFERENCES sites (id),
    text                TEXT NOT NULL,
    source              TEXT NOT NULL CHECK (source IN ('entered', 'employee_survey')),
    response_id         INTEGER,
    question_code       TEXT,
    status              TEXT NOT NULL CHECK (status IN ('open', 'planned', 'done', 'declined')),
    recorded_by         TEXT NOT NULL,
    recorded_by_user_id INTEGER,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX requirements_service_idx ON requirements (service_id, moment_key, created_at);

CREATE TABLE action_plans (
    id              INTEGER PRIMARY KEY,
    service_id      INTEGER NOT NULL REFERENCES services (id),
    title           TEXT NOT NULL,
    owner           TEXT NOT NULL,
    start_date      TEXT NOT NULL,
    due_date        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
    expected_effect TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX action_plans_service_idx ON action_plans (service_id, due_date);

CREATE TABLE action_plan_moments (
    plan_id    INTEGER NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    moment_key TEXT NOT NULL,
    PRIMARY KEY (plan_id, moment_key)
);
CREATE INDEX action_plan_moments_key_idx ON action_plan_moments (moment_key);

CREATE TABLE action_plan_requirements (
    plan_id        INTEGER NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    requirement_id INTEGER NOT NULL REFERENCES requirements (id) ON DELETE CASCADE,
    PRIMARY KEY (plan_id, requirement_id)
);
CREATE INDEX action_plan_requirements_req_idx ON action_plan_requirements (requirement_id);
