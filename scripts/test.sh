#!/usr/bin/env bash
# Runs every check and test Touchpoint has: formatting, clippy, unit, conformance (SQLite and
# PostgreSQL), API, page and headless-browser tests. Installs what the tests need first.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-chromium.sh
source scripts/postgres-env.sh

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test (PostgreSQL: ${TOUCHPOINT_TEST_POSTGRES_URL:-not configured})"
cargo test --workspace --locked "$@"
