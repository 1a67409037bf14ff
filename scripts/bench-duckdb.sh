#!/usr/bin/env bash
# A Python with DuckDB (from PyPI) for `touchpoint-bench scorecard --duckdb`; prints its path.
# Usage: PY=$(scripts/bench-duckdb.sh) && target/release/touchpoint-bench scorecard --duckdb "$PY"
set -euo pipefail
venv="${TOUCHPOINT_BENCH_VENV:-target/bench-duckdb-venv}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet duckdb >&2
fi
echo "$venv/bin/python"
