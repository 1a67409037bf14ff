-- Customers, their status history, lost reasons and sales: the portfolio.
-- Money is an integer of ten-thousandths of the currency unit (exact sums on every backend).

CREATE TABLE lost_reasons (
    key      TEXT PRIMARY KEY,
    label_en TEXT NOT NULL,
    label_es TEXT NOT NULL,
    active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE customers (
    id              INTEGER PRIMARY KEY,
    ref             TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    email           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    segment         TEXT NOT NULL DEFAULT '',
    site_id         INTEGER REFERENCES sites (id),
    status          TEXT NOT NULL CHECK (status IN ('active', 'lost', 'potential', 'unknown')),
    lost_reason     TEXT REFERENCES lost_reasons (key),
    lost_note       TEXT NOT NULL DEFAULT '',
    lost_moment_key TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    erased_at       TEXT
);
CREATE INDEX customers_name_idx ON customers (lower(name), id);
CREATE INDEX customers_status_idx ON customers (status);

-- Append-only: one row per status a customer was given, the first at creation.
CREATE TABLE customer_status_history (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    status          TEXT NOT NULL CHECK (status IN ('active', 'lost', 'potential', 'unknown')),
    lost_reason     TEXT,
    lost_note       TEXT NOT NULL DEFAULT '',
    lost_moment_key TEXT,
    changed_at      TEXT NOT NULL,
    changed_by      TEXT NOT NULL
);
CREATE INDEX customer_status_history_idx
    ON customer_status_history (customer_id, changed_at, id);
CREATE INDEX customer_status_history_at_idx ON customer_status_history (changed_at);

CREATE TABLE sales (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    sale_date   TEXT NOT NULL,
    amount      INTEGER NOT NULL,
    currency    TEXT NOT NULL,
    service_id  INTEGER REFERENCES services (id),
    sale_id     TEXT UNIQUE,
    recorded_at TEXT NOT NULL
);
-- Covers the ranking's sum per customer over a period without touching the table.
CREATE INDEX sales_period_idx ON sales (currency, sale_date, customer_id, amount);
CREATE INDEX sales_customer_idx ON sales (customer_id, sale_date, id);
