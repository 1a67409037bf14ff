-- Feedback: surveys and their frozen versions, links and invitations, responses with their
-- answers, exact roll-ups, mystery-shopper checklists and visits, measurements, compliments.
-- Site and staff ids are resolved by callers and carry no foreign key, so one bad id in a
-- bulk import cannot fail the whole batch.

CREATE TABLE surveys (
    id             INTEGER PRIMARY KEY,
    key            TEXT NOT NULL UNIQUE,
    service_id     INTEGER REFERENCES services (id),
    audience       TEXT NOT NULL CHECK (audience IN ('customers', 'employees')),
    -- The English title of the draft, for sorting and search.
    title          TEXT NOT NULL,
    draft_json     TEXT NOT NULL,
    -- 1 while the draft differs from the latest version (or nothing was published).
    has_changes    INTEGER NOT NULL DEFAULT 1 CHECK (has_changes IN (0, 1)),
    -- Kept by every response insert, so pages never count millions of rows.
    response_count INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    archived_at    TEXT
);
CREATE INDEX surveys_service_idx ON surveys (service_id);

CREATE TABLE survey_versions (
    id               INTEGER PRIMARY KEY,
    survey_id        INTEGER NOT NULL REFERENCES surveys (id),
    version          INTEGER NOT NULL CHECK (version > 0),
    definition_json  TEXT NOT NULL,
    -- Question code -> moment id in cycle_version_id.
    moment_ids_json  TEXT NOT NULL,
    cycle_version_id INTEGER REFERENCES cycle_versions (id),
    published_at     TEXT NOT NULL,
    published_by     TEXT NOT NULL,
    UNIQUE (survey_id, version)
);

-- token is kept for open links only; personal invitations keep just the hash.
CREATE TABLE survey_links (
    id            INTEGER PRIMARY KEY,
    survey_id     INTEGER NOT NULL REFERENCES surveys (id),
    kind          TEXT NOT NULL CHECK (kind IN ('open', 'personal')),
    token_hash    TEXT NOT NULL UNIQUE,
    token         TEXT,
    customer      TEXT,
    email         TEXT,
    language      TEXT,
    site_id       INTEGER,
    staff_id      INTEGER,
    visit_date    TEXT,
    complaint_ref TEXT,
    expires_at    TEXT,
    created_at    TEXT NOT NULL,
    answered_at   TEXT,
    response_id   INTEGER,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
CREATE INDEX survey_links_survey_idx ON survey_links (survey_id, id);

-- One row per response. answers is one compact JSON array: [question index, value] for an
-- answer that agrees with its question in the survey version, else
-- [code, kind, moment_id, dimension, value]. submitted_at and received_at are integer
-- microseconds since the Unix epoch (smaller rows and indexes on the hottest table).
CREATE TABLE responses (
    id                INTEGER PRIMARY KEY,
    survey_id         INTEGER NOT NULL,
    survey_version_id INTEGER NOT NULL,
    source            TEXT NOT NULL,
    external_id       TEXT,
    idempotency_key   TEXT,
    link_id           INTEGER,
    submitted_at      INTEGER NOT NULL,
    received_at       INTEGER NOT NULL,
    customer          TEXT,
    site_id           INTEGER,
    staff_id          INTEGER,
    language          TEXT NOT NULL,
    answers           TEXT NOT NULL
);
CREATE UNIQUE INDEX responses_external_idx
    ON responses (survey_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX responses_idempotency_idx
    ON responses (survey_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX responses_submitted_idx ON responses (survey_id, submitted_at);

-- Exact aggregates per survey, day, question, part (0 score, 1 expectation, 2 perception),
-- moment and site. 0 stands for "no moment" / "no site" so the key has no NULLs.
CREATE TABLE response_rollups (
    survey_id     INTEGER NOT NULL,
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
    PRIMARY KEY (survey_id, day, question_code, part, moment_id, site_id)
) WITHOUT ROWID;
CREATE INDEX response_rollups_day_idx ON response_rollups (day);

CREATE TABLE checklist_items (
    service_id INTEGER NOT NULL REFERENCES services (id),
    moment_key TEXT NOT NULL,
    position   INTEGER NOT NULL,
    label      TEXT NOT NULL,
    PRIMARY KEY (service_id, moment_key, position)
);

CREATE TABLE audit_visits (
    id               INTEGER PRIMARY KEY,
    service_id       INTEGER NOT NULL REFERENCES services (id),
    cycle_version_id INTEGER NOT NULL REFERENCES cycle_versions (id),
    site_id          INTEGER NOT NULL,
    visited_at       TEXT NOT NULL,
    auditor_user_id  INTEGER,
    auditor          TEXT NOT NULL,
    visit_json       TEXT NOT NULL,
    recorded_at      TEXT NOT NULL
);
CREATE INDEX audit_visits_service_idx ON audit_visits (service_id, visited_at);
CREATE INDEX audit_visits_site_idx ON audit_visits (site_id, visited_at);
CREATE INDEX audit_visits_at_idx ON audit_visits (visited_at, id);

CREATE TABLE measurements (
    id          INTEGER PRIMARY KEY,
    service_id  INTEGER NOT NULL REFERENCES services (id),
    site_id     INTEGER NOT NULL,
    moment_key  TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    met         INTEGER NOT NULL CHECK (met IN (0, 1)),
    external_id TEXT,
    judged_json TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (service_id, external_id)
);
CREATE INDEX measurements_service_idx ON measurements (service_id, observed_at);
CREATE INDEX measurements_at_idx ON measurements (observed_at, id);

CREATE TABLE compliments (
    id              INTEGER PRIMARY KEY,
    service_id      INTEGER REFERENCES services (id),
    moment_key      TEXT,
    staff_id        INTEGER,
    site_id         INTEGER,
    received_at     TEXT NOT NULL,
    compliment_json TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
);
CREATE INDEX compliments_service_idx ON compliments (service_id, received_at);
CREATE INDEX compliments_staff_idx ON compliments (staff_id, received_at);
CREATE INDEX compliments_at_idx ON compliments (received_at, id);
