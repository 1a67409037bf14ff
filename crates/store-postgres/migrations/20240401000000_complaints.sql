-- Complaints: cases with their transitions, updates and promises, escalations of broken
-- promises, response policies, business calendars, and the relationship ledger.
-- (20240301000000 is reserved for the customers tables; customers are a free-text
-- customer_ref here.)

-- One counter row per year: the reference sequence, bumped (row-locked) inside the
-- complaint's transaction, so concurrent nodes get distinct consecutive numbers.
CREATE TABLE complaint_sequences (
    year INTEGER PRIMARY KEY,
    last BIGINT NOT NULL
);

CREATE TABLE complaints (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference        TEXT NOT NULL CONSTRAINT complaints_reference_unique UNIQUE,
    -- SHA-256 of the customer's status-page token.
    token_hash       TEXT NOT NULL CONSTRAINT complaints_token_hash_unique UNIQUE,
    customer_ref     TEXT NOT NULL,
    channel          TEXT NOT NULL,
    site_id          BIGINT CONSTRAINT complaints_site_fk REFERENCES sites (id),
    service_key      TEXT,
    moment_key       TEXT,
    moment_id        BIGINT,
    dimension_key    TEXT,
    description      TEXT NOT NULL,
    remedy_requested TEXT NOT NULL,
    severity         TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    status           TEXT NOT NULL CHECK (status IN ('received', 'acknowledged', 'assessed',
                         'investigating', 'responded', 'resolved', 'closed', 'reopened')),
    assignee_id      BIGINT CONSTRAINT complaints_assignee_fk REFERENCES users (id),
    received_at      TIMESTAMPTZ NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    resolution       JSONB
);
CREATE INDEX complaints_status_idx ON complaints (status, received_at);
CREATE INDEX complaints_site_idx ON complaints (site_id, received_at);
CREATE INDEX complaints_assignee_idx ON complaints (assignee_id, received_at);
CREATE INDEX complaints_customer_idx ON complaints (customer_ref);
CREATE INDEX complaints_moment_idx ON complaints (moment_key);
CREATE INDEX complaints_received_idx ON complaints (received_at);

CREATE TABLE complaint_transitions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id  BIGINT NOT NULL REFERENCES complaints (id),
    from_status   TEXT,
    to_status     TEXT NOT NULL,
    at            TIMESTAMPTZ NOT NULL,
    actor_user_id BIGINT,
    actor         TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_transitions_idx ON complaint_transitions (complaint_id, id);

CREATE TABLE complaint_updates (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id  BIGINT NOT NULL REFERENCES complaints (id),
    visibility    TEXT NOT NULL CHECK (visibility IN ('customer', 'internal')),
    text          TEXT NOT NULL,
    at            TIMESTAMPTZ NOT NULL,
    actor_user_id BIGINT,
    actor         TEXT NOT NULL
);
CREATE INDEX complaint_updates_idx ON complaint_updates (complaint_id, id);

CREATE TABLE complaint_promises (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id  BIGINT NOT NULL REFERENCES complaints (id),
    kind          TEXT NOT NULL CHECK (kind IN ('acknowledge', 'first_response', 'update',
                      'resolve', 'callback', 'custom')),
    description   TEXT NOT NULL DEFAULT '',
    due_at        TIMESTAMPTZ NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('staff', 'policy')),
    state         TEXT NOT NULL CHECK (state IN ('open', 'kept', 'broken', 'cancelled')),
    settled_at    TIMESTAMPTZ,
    fulfilled_at  TIMESTAMPTZ,
    cancel_reason TEXT,
    notified_at   TIMESTAMPTZ,
    escalated_at  TIMESTAMPTZ,
    escalated_by  TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    created_by    TEXT NOT NULL
);
CREATE INDEX complaint_promises_complaint_idx ON complaint_promises (complaint_id, due_at);
-- The scheduler's scans: open promises by due time.
CREATE INDEX complaint_promises_open_idx ON complaint_promises (due_at) WHERE state = 'open';

-- One row per broken-and-escalated promise; UNIQUE makes a second escalation impossible.
CREATE TABLE complaint_escalations (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    promise_id   BIGINT NOT NULL CONSTRAINT complaint_escalations_promise_unique UNIQUE
                     REFERENCES complaint_promises (id),
    complaint_id BIGINT NOT NULL REFERENCES complaints (id),
    site_id      BIGINT,
    escalated_at TIMESTAMPTZ NOT NULL,
    node_id      TEXT NOT NULL
);
CREATE INDEX complaint_escalations_site_idx ON complaint_escalations (site_id, escalated_at);

-- channel 'any' is the severity's default policy.
CREATE TABLE response_policies (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    severity               TEXT NOT NULL,
    channel                TEXT NOT NULL,
    acknowledge_minutes    BIGINT,
    first_response_minutes BIGINT,
    update_minutes         BIGINT,
    resolve_minutes        BIGINT,
    business_time          BOOLEAN NOT NULL,
    updated_at             TIMESTAMPTZ NOT NULL,
    CONSTRAINT response_policies_unique UNIQUE (severity, channel)
);

-- site_key 0 is the organisation-wide default calendar, otherwise the site id.
CREATE TABLE business_calendars (
    site_key   BIGINT PRIMARY KEY,
    calendar   JSONB NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE relationship_weights (
    kind   TEXT PRIMARY KEY,
    weight INTEGER NOT NULL CHECK (weight >= 0)
);

-- Append-only: the store has no statement that updates or deletes a ledger row.
CREATE TABLE relationship_ledger (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_ref TEXT NOT NULL,
    kind         TEXT NOT NULL,
    occurred_at  TIMESTAMPTZ NOT NULL,
    amount       INTEGER NOT NULL,
    complaint_id BIGINT REFERENCES complaints (id),
    promise_id   BIGINT REFERENCES complaint_promises (id),
    note         TEXT NOT NULL DEFAULT '',
    recorded_at  TIMESTAMPTZ NOT NULL,
    recorded_by  TEXT NOT NULL
);
CREATE INDEX relationship_ledger_customer_idx
    ON relationship_ledger (customer_ref, occurred_at, id);
CREATE INDEX relationship_ledger_complaint_idx ON relationship_ledger (complaint_id, kind);
