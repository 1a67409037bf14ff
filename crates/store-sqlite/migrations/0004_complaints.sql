-- Complaints: cases with their transitions, updates and promises, escalations of broken
-- promises, response policies, business calendars, and the relationship ledger.
-- (0003 is reserved for the customers tables; customers are a free-text customer_ref here.)

-- One counter row per year: the reference sequence, bumped inside the complaint's transaction.
CREATE TABLE complaint_sequences (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE complaints (
    id               INTEGER PRIMARY KEY,
    reference        TEXT NOT NULL UNIQUE,
    -- SHA-256 of the customer's status-page token.
    token_hash       TEXT NOT NULL UNIQUE,
    customer_ref     TEXT NOT NULL,
    channel          TEXT NOT NULL,
    site_id          INTEGER REFERENCES sites (id),
    service_key      TEXT,
    moment_key       TEXT,
    moment_id        INTEGER,
    dimension_key    TEXT,
    description      TEXT NOT NULL,
    remedy_requested TEXT NOT NULL,
    severity         TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    status           TEXT NOT NULL CHECK (status IN ('received', 'acknowledged', 'assessed',
                         'investigating', 'responded', 'resolved', 'closed', 'reopened')),
    assignee_id      INTEGER REFERENCES users (id),
    received_at      TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    resolution_json  TEXT
);
CREATE INDEX complaints_status_idx ON complaints (status, received_at);
CREATE INDEX complaints_site_idx ON complaints (site_id, received_at);
CREATE INDEX complaints_assignee_idx ON complaints (assignee_id, received_at);
CREATE INDEX complaints_customer_idx ON complaints (customer_ref);
CREATE INDEX complaints_moment_idx ON complaints (moment_key);
CREATE INDEX complaints_received_idx ON complaints (received_at);

CREATE TABLE complaint_transitions (
    id            INTEGER PRIMARY KEY,
    complaint_id  INTEGER NOT NULL REFERENCES complaints (id),
    from_status   TEXT,
    to_status     TEXT NOT NULL,
    at            TEXT NOT NULL,
    actor_user_id INTEGER,
    actor         TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_transitions_idx ON complaint_transitions (complaint_id, id);

CREATE TABLE complaint_updates (
    id            INTEGER PRIMARY KEY,
    complaint_id  INTEGER NOT NULL REFERENCES complaints (id),
    visibility    TEXT NOT NULL CHECK (visibility IN ('customer', 'internal')),
    text          TEXT NOT NULL,
    at            TEXT NOT NULL,
    actor_user_id INTEGER,
    actor         TEXT NOT NULL
);
CREATE INDEX complaint_updates_idx ON complaint_updates (complaint_id, id);

CREATE TABLE complaint_promises (
    id            INTEGER PRIMARY KEY,
    complaint_id  INTEGER NOT NULL REFERENCES complaints (id),
    kind          TEXT NOT NULL CHECK (kind IN ('acknowledge', 'first_response', 'update',
                      'resolve', 'callback', 'custom')),
    description   TEXT NOT NULL DEFAULT '',
    due_at        TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('staff', 'policy')),
    state         TEXT NOT NULL CHECK (state IN ('open', 'kept', 'broken', 'cancelled')),
    settled_at    TEXT,
    fulfilled_at  TEXT,
    cancel_reason TEXT,
    notified_at   TEXT,
    escalated_at  TEXT,
    escalated_by  TEXT,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL
);
CREATE INDEX complaint_promises_complaint_idx ON complaint_promises (complaint_id, due_at);
-- The scheduler's scans: open promises by due time.
CREATE INDEX complaint_promises_open_idx ON complaint_promises (due_at) WHERE state = 'open';

-- One row per broken-and-escalated promise; UNIQUE makes a second escalation impossible.
CREATE TABLE complaint_escalations (
    id           INTEGER PRIMARY KEY,
    promise_id   INTEGER NOT NULL UNIQUE REFERENCES complaint_promises (id),
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    site_id      INTEGER,
    escalated_at TEXT NOT NULL,
    node_id      TEXT NOT NULL
);
CREATE INDEX complaint_escalations_site_idx ON complaint_escalations (site_id, escalated_at);

-- channel 'any' is the severity's default policy.
CREATE TABLE response_policies (
    id                     INTEGER PRIMARY KEY,
    severity               TEXT NOT NULL,
    channel                TEXT NOT NULL,
    acknowledge_minutes    INTEGER,
    first_response_minutes INTEGER,
    update_minutes         INTEGER,
    resolve_minutes        INTEGER,
    business_time          INTEGER NOT NULL CHECK (business_time IN (0, 1)),
    updated_at             TEXT NOT NULL,
    UNIQUE (severity, channel)
);

-- site_key 0 is the organisation-wide default calendar, otherwise the site id.
CREATE TABLE business_calendars (
    site_key      INTEGER PRIMARY KEY,
    calendar_json TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE relationship_weights (
    kind   TEXT PRIMARY KEY,
    weight INTEGER NOT NULL CHECK (weight >= 0)
);

-- Append-only: the store has no statement that updates or deletes a ledger row.
CREATE TABLE relationship_ledger (
    id           INTEGER PRIMARY KEY,
    customer_ref TEXT NOT NULL,
    kind         TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,
    amount       INTEGER NOT NULL,
    complaint_id INTEGER REFERENCES complaints (id),
    promise_id   INTEGER REFERENCES complaint_promises (id),
    note         TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL
);
CREATE INDEX relationship_ledger_customer_idx
    ON relationship_ledger (customer_ref, occurred_at, id);
CREATE INDEX relationship_ledger_complaint_idx ON relationship_ledger (complaint_id, kind);
