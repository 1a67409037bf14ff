-- A counter bumped by statement triggers in the same transaction as every change to customers
-- or sales. A server keeps a computed ranking and learns with one cheap read whether it is
-- still true, on every app node. Concurrent portfolio writers queue on this one row until
-- they commit; sales arrive in batches, so that is the price of an exact cache.
CREATE TABLE portfolio_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO portfolio_revision (id, n) VALUES (1, 0);

CREATE FUNCTION bump_portfolio_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE portfolio_revision SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER customers_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION bump_portfolio_revision();
CREATE TRIGGER sales_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sales
    FOR EACH STATEMENT EXECUTE FUNCTION bump_portfolio_revision();
