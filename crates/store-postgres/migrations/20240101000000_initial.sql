-- Touchpoint PostgreSQL schema, version 1. Parallel to the SQLite schema.
-- Timestamps are written by the application from its injected clock, never by now().

CREATE TABLE services (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key         TEXT NOT NULL CONSTRAINT services_key_unique UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    archived_at TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX services_name_idx ON services (lower(name));

CREATE TABLE cycle_versions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id   BIGINT NOT NULL REFERENCES services (id),
    version      INT NOT NULL CHECK (version > 0),
    note         TEXT NOT NULL DEFAULT '',
    published_at TIMESTAMPTZ NOT NULL,
    published_by TEXT NOT NULL,
    CONSTRAINT cycle_versions_service_version_unique UNIQUE (service_id, version)
);

CREATE TABLE moments (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_version_id BIGINT NOT NULL REFERENCES cycle_versions (id),
    key              TEXT NOT NULL,
    position         INT NOT NULL,
    name             TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    channel          TEXT NOT NULL,
    role             TEXT NOT NULL DEFAULT '',
    critical         BOOLEAN NOT NULL DEFAULT FALSE,
    CONSTRAINT moments_version_key_unique UNIQUE (cycle_version_id, key)
);

CREATE TABLE standards (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    moment_id   BIGINT NOT NULL REFERENCES moments (id),
    position    INT NOT NULL,
    metric      TEXT NOT NULL,
    comparator  TEXT NOT NULL,
    threshold   DOUBLE PRECISION NOT NULL,
    unit        TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX standards_moment_idx ON standards (moment_id, position);

CREATE TABLE sites (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key        TEXT NOT NULL CONSTRAINT sites_key_unique UNIQUE,
    name       TEXT NOT NULL,
    city       TEXT NOT NULL DEFAULT '',
    timezone   TEXT NOT NULL DEFAULT 'UTC',
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE staff (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL DEFAULT '',
    site_id    BIGINT CONSTRAINT staff_site_fk REFERENCES sites (id),
    email      TEXT NOT NULL DEFAULT '',
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX staff_site_idx ON staff (site_id);

CREATE TABLE quality_dimensions (
    key      TEXT PRIMARY KEY,
    name_en  TEXT NOT NULL,
    name_es  TEXT NOT NULL,
    servqual TEXT NOT NULL,
    position INT NOT NULL
);

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Stored lowercased by the application.
    email         TEXT NOT NULL CONSTRAINT users_email_unique UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    language      TEXT NOT NULL DEFAULT 'en',
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL CONSTRAINT sessions_user_fk REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL CONSTRAINT api_tokens_user_fk REFERENCES users (id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL CONSTRAINT api_tokens_hash_unique UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- No foreign key on actor_user_id: the trail outlives everything it mentions.
CREATE TABLE audit_log (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    actor_user_id BIGINT,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    entity        TEXT NOT NULL DEFAULT '',
    entity_id     TEXT,
    before_json   JSONB,
    after_json    JSONB,
    detail        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action text_pattern_ops);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, at DESC);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at DESC);
