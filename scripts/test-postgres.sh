#!/usr/bin/env bash
# Runs the test suite on PostgreSQL: a fresh UTF-8 database (C.UTF-8 ctype, from template0, so trigram
# search works on Cyrillic) serves as the template for the test databases, and is dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
PY=.venv/bin/python
export QORGAU_ENV=${QORGAU_ENV:-development}

if ! $PY scripts/pg.py ping; then
  echo "PostgreSQL is not answering on $PGHOST:$PGPORT; trying to start the local cluster" >&2
  version=$(ls /etc/postgresql 2>/dev/null | head -1)
  [ -n "$version" ] && pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do $PY scripts/pg.py ping && break; sleep 1; done
  $PY scripts/pg.py ping || { echo "PostgreSQL is not available" >&2; exit 1; }
fi

db="qorgau_ci_$(date +%s)_$$"
$PY scripts/pg.py create "$db"
trap '$PY scripts/pg.py drop "$db" || true' EXIT
DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db" DATABASE_TEST_TEMPLATE="$db" \
  $PY -m pytest "$@"
