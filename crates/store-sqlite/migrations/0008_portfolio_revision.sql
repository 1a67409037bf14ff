-- A counter bumped by triggers in the same transaction as every change to customers or sales.
-- A server keeps a computed ranking and learns with one cheap read whether it is still true;
-- the counter lives in the database, so this holds on every app node.
CREATE TABLE portfolio_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO portfolio_revision (id, n) VALUES (1, 0);

CREATE TRIGGER customers_bump_insert AFTER INSERT ON customers
BEGIN UPDATE portfolio_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER customers_bump_update AFTER UPDATE ON customers
BEGIN UPDATE portfolio_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER customers_bump_delete AFTER DELETE ON customers
BEGIN UPDATE portfolio_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sales_bump_insert AFTER INSERT ON sales
BEGIN UPDATE portfolio_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sales_bump_update AFTER UPDATE ON sales
BEGIN UPDATE portfolio_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sales_bump_delete AFTER DELETE ON sales
BEGIN UPDATE portfolio_revision SET n = n + 1 WHERE id = 1; END;

-- The ranking sums each customer's sales of a period in customer order, so SQLite groups
-- as it reads instead of sorting every sale of the period into a temporary b-tree.
CREATE INDEX sales_customer_period_idx ON sales (currency, customer_id, sale_date, amount);
