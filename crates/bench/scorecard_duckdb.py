#!/usr/bin/env python3
"""The reference an analyst would use instead of Touchpoint's scorecard: DuckDB over an export.

Usage: scorecard_duckdb.py ANSWERS.csv FROM TO

ANSWERS.csv has one row per answer: day,site,moment,kind,score (kind rating, effort or nps).
Computes, per moment, for the period FROM..TO (inclusive) and the previous period of equal
length, what the scorecard needs from the answers: count, mean and standard deviation (t
intervals), the CSAT share (4-5 on ratings) and promoters/detractors (NPS). Times the query
over the CSV itself and over a Parquet copy (made first, untimed); prints JSON with the
median of 5 runs of each in milliseconds.
"""
import datetime
import json
import math
import os
import statistics
import sys
import time

import duckdb

QUERY = """
SELECT moment, day >= DATE '{start}' AS current, kind,
       count(*) AS n, avg(score) AS mean, stddev_samp(score) AS sd,
       avg(CASE WHEN kind = 'rating' THEN (score >= 4)::INT END) AS csat,
       avg(CASE WHEN kind = 'nps' THEN (score >= 9)::INT END)
         - avg(CASE WHEN kind = 'nps' THEN (score <= 6)::INT END) AS nps
FROM {source}
WHERE day BETWEEN DATE '{prev_start}' AND DATE '{end}'
GROUP BY ALL
ORDER BY ALL
"""


def timed(con, source, start, prev_start, end):
    runs = []
    rows = None
    for _ in range(5):
        t = time.perf_counter()
        rows = con.execute(QUERY.format(source=source, start=start, prev_start=prev_start,
                                        end=end)).fetchall()
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs), rows


def main():
    path, start, end = sys.argv[1], sys.argv[2], sys.argv[3]
    day = datetime.date.fromisoformat
    length = (day(end) - day(start)).days + 1
    prev_start = day(start) - datetime.timedelta(days=length)
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    csv_source = (f"read_csv('{path}', header=true, columns={{'day': 'DATE', 'site': 'BIGINT', "
                  "'moment': 'VARCHAR', 'kind': 'VARCHAR', 'score': 'INTEGER'})")
    parquet = path + ".parquet"
    t = time.perf_counter()
    con.execute(f"COPY (SELECT * FROM {csv_source}) TO '{parquet}' (FORMAT parquet)")
    convert_ms = (time.perf_counter() - t) * 1000
    csv_ms, csv_rows = timed(con, csv_source, start, prev_start, end)
    pq_ms, pq_rows = timed(con, f"read_parquet('{parquet}')", start, prev_start, end)
    # The same figures from both sources (parallel sums may differ in the last bits).
    assert len(csv_rows) == len(pq_rows)
    for a, b in zip(csv_rows, pq_rows):
        for x, y in zip(a, b):
            assert x == y or (isinstance(x, float) and math.isclose(x, y, rel_tol=1e-9)), (a, b)
    os.remove(parquet)
    json.dump({"csv_ms": csv_ms, "parquet_ms": pq_ms, "convert_ms": convert_ms,
               "groups": len(csv_rows)}, sys.stdout)


if __name__ == "__main__":
    main()
