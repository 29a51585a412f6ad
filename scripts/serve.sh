#!/usr/bin/env bash
# Starts the task worker in the background and the web server in the foreground; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-127.0.0.1}
port=${2:-8000}
PY=.venv/bin/python
# runserver and the demo logins are for development only; the settings default to production.
export QORGAU_ENV=${QORGAU_ENV:-development}

$PY manage.py db_worker --queue-name default >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

$PY manage.py demo_logins --address "http://$host:$port/"
echo
echo "Qorgau is running at http://$host:$port/  (task worker pid $worker, log var/worker.log)"
echo "API docs: http://$host:$port/api/docs/   Stop with Ctrl-C."
echo
$PY manage.py runserver --noreload "$host:$port"
