# Sourced by scripts/test.sh: points the PostgreSQL tests at a local server when one answers.
# Without TOUCHPOINT_TEST_POSTGRES_URL the PostgreSQL tests print a loud SKIPPED line, and
# under CI (CI set) they fail instead, so CI can never pass without running them.
if [ -z "${TOUCHPOINT_TEST_POSTGRES_URL:-}" ] && command -v pg_isready >/dev/null 2>&1; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 && command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start >/dev/null 2>&1 || true
    sleep 2
  fi
  if pg_isready -q -h 127.0.0.1 -p 5432; then
    for pg_user in postgres root; do
      if psql -h 127.0.0.1 -U "$pg_user" -d test -c 'select 1' >/dev/null 2>&1; then
        export TOUCHPOINT_TEST_POSTGRES_URL="postgres://$pg_user@127.0.0.1:5432/test"
        break
      fi
    done
  fi
fi
