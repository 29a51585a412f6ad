#!/usr/bin/env bash
# `manage.py check --deploy` with production settings, failing on warnings: throw-away strong keys, a named
# host, and a fresh empty PostgreSQL database reached as a fresh ordinary (non-superuser) role, so that the
# database checks and production's refusal of superuser roles (core/dbroles.py) run too. No migrations are
# needed for that; both the database and the role are dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
PY=.venv/bin/python

$PY scripts/pg.py ping || { echo "PostgreSQL is not available on $PGHOST:$PGPORT" >&2; exit 1; }
name="qorgau_deploy_$(date +%s)_$$"
PGROLE_PASSWORD=$($PY -c "import secrets; print(secrets.token_urlsafe(24))")
export PGROLE_PASSWORD
$PY scripts/pg.py create "$name"
trap '$PY scripts/pg.py drop "$name" || true; $PY scripts/pg.py drop-role "$name" || true' EXIT
$PY scripts/pg.py create-role "$name"

# Only these variables reach the check: nothing from the developer's shell can make it pass.
env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
  QORGAU_ENV=production \
  SECRET_KEY="$($PY -c "import secrets; print(secrets.token_urlsafe(50))")" \
  IIN_HASH_KEY="$($PY -c "import secrets; print(secrets.token_hex(32))")" \
  IIN_ENCRYPTION_KEY="$($PY -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")" \
  ALLOWED_HOSTS=qorgau.example.kz \
  CSRF_TRUSTED_ORIGINS=https://qorgau.example.kz \
  DATABASE_URL="postgres://$name:$PGROLE_PASSWORD@$PGHOST:$PGPORT/$name" \
  $PY manage.py check --deploy --database default --fail-level WARNING
