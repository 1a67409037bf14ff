-- Customers, their status history, lost reasons and sales: the portfolio. Parallel to SQLite.
-- Money is a BIGINT of ten-thousandths of the currency unit (exact sums on every backend).

CREATE TABLE lost_reasons (
    key      TEXT PRIMARY KEY,
    label_en TEXT NOT NULL,
    label_es TEXT NOT NULL,
    active   BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE customers (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref             TEXT NOT NULL CONSTRAINT customers_ref_unique UNIQUE,
    name            TEXT NOT NULL,
    email           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    segment         TEXT NOT NULL DEFAULT '',
    site_id         BIGINT CONSTRAINT customers_site_fk REFERENCES sites (id),
    status          TEXT NOT NULL CHECK (status IN ('active', 'lost', 'potential', 'unknown')),
    lost_reason     TEXT CONSTRAINT customers_lost_reason_fk REFERENCES lost_reasons (key),
    lost_note       TEXT NOT NULL DEFAULT '',
    lost_moment_key TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    erased_at       TIMESTAMPTZ
);
CREATE INDEX customers_name_idx ON customers ((lower(name) COLLATE "C"), id);
CREATE INDEX customers_status_idx ON customers (status);

-- Append-only: one row per status a customer was given, the first at creation.
CREATE TABLE customer_status_history (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id     BIGINT NOT NULL REFERENCES customers (id),
    status          TEXT NOT NULL CHECK (status IN ('active', 'lost', 'potential', 'unknown')),
    lost_reason     TEXT,
    lost_note       TEXT NOT NULL DEFAULT '',
    lost_moment_key TEXT,
    changed_at      TIMESTAMPTZ NOT NULL,
    changed_by      TEXT NOT NULL
);
CREATE INDEX customer_status_history_idx
    ON customer_status_history (customer_id, changed_at, id);
CREATE INDEX customer_status_history_at_idx ON customer_status_history (changed_at);

CREATE TABLE sales (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    sale_date   DATE NOT NULL,
    amount      BIGINT NOT NULL,
    currency    TEXT NOT NULL,
    service_id  BIGINT REFERENCES services (id),
    sale_id     TEXT CONSTRAINT sales_sale_id_unique UNIQUE,
    recorded_at TIMESTAMPTZ NOT NULL
);
-- Covers the ranking's sum per customer over a period without touching the table.
CREATE INDEX sales_period_idx ON sales (currency, sale_date, customer_id, amount);
CREATE INDEX sales_customer_idx ON sales (customer_id, sale_date, id);
