-- Touchpoint foundation schema (SQLite). Shipped migrations are never edited; add new files.
-- Timestamps are RFC 3339 UTC text with exactly six fractional digits
-- (2026-01-15T09:00:00.000000Z), so text order is time order.

CREATE TABLE services (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    archived_at TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE cycle_versions (
    id           INTEGER PRIMARY KEY,
    service_id   INTEGER NOT NULL REFERENCES services (id),
    version      INTEGER NOT NULL CHECK (version > 0),
    note         TEXT NOT NULL DEFAULT '',
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    UNIQUE (service_id, version)
);

CREATE TABLE moments (
    id               INTEGER PRIMARY KEY,
    cycle_version_id INTEGER NOT NULL REFERENCES cycle_versions (id),
    key              TEXT NOT NULL,
    position         INTEGER NOT NULL,
    name             TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    channel          TEXT NOT NULL,
    role             TEXT NOT NULL DEFAULT '',
    critical         INTEGER NOT NULL DEFAULT 0 CHECK (critical IN (0, 1)),
    UNIQUE (cycle_version_id, key),
    UNIQUE (cycle_version_id, position)
);

CREATE TABLE standards (
    id          INTEGER PRIMARY KEY,
    moment_id   INTEGER NOT NULL REFERENCES moments (id),
    position    INTEGER NOT NULL,
    metric      TEXT NOT NULL,
    comparator  TEXT NOT NULL CHECK (comparator IN ('<', '<=', '=', '>=', '>')),
    threshold   REAL NOT NULL,
    unit        TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (moment_id, position)
);

CREATE TABLE sites (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    city       TEXT NOT NULL DEFAULT '',
    timezone   TEXT NOT NULL DEFAULT 'UTC',
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE staff (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL DEFAULT '',
    site_id    INTEGER REFERENCES sites (id),
    email      TEXT NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX staff_site_idx ON staff (site_id);

CREATE TABLE quality_dimensions (
    key      TEXT PRIMARY KEY,
    name_en  TEXT NOT NULL,
    name_es  TEXT NOT NULL,
    servqual TEXT NOT NULL
        CHECK (servqual IN ('tangibles', 'reliability', 'responsiveness', 'assurance', 'empathy')),
    position INTEGER NOT NULL UNIQUE
);

-- Emails are stored lowercased, so the UNIQUE constraint is case-insensitive.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL
        CHECK (role IN ('admin', 'manager', 'agent', 'auditor', 'viewer')),
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    language      TEXT NOT NULL DEFAULT 'en',
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Append-only. actor_user_id has no foreign key: events may name users that do not exist.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            TEXT NOT NULL,
    actor_user_id INTEGER,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    entity        TEXT NOT NULL DEFAULT '',
    entity_id     TEXT,
    before_json   TEXT,
    after_json    TEXT,
    detail        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at_idx ON audit_log (at, id);
CREATE INDEX audit_action_idx ON audit_log (action, at);
CREATE INDEX audit_actor_idx ON audit_log (actor, at);
CREATE INDEX audit_entity_idx ON audit_log (entity, entity_id);
