-- The portfolio ranking breaks ties by the customer reference in byte order (COLLATE "C", the
-- order SQLite compares in). This index hands out the ids in that order without sorting a
-- million references at every computed ranking (an index-only scan once vacuumed).
CREATE INDEX customers_ref_bytes_idx ON customers (ref COLLATE "C") INCLUDE (id);
