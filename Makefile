# Qorgau: `make run` and `make test` work on a fresh clone with Python 3.12, Node.js and make.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2
# Every target here is a development one: the settings are production unless asked for development.
export QORGAU_ENV ?= development

.PHONY: help install run test test-browser test-spark test-postgres fuzz-api lint format bench messages makemessages ci clean

help:
	@echo "make run            install, migrate, load reference and demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test           the full test suite (SQLite)"
	@echo "make test-browser   the browser suite: Chromium (installed when missing) with axe-core checks"
	@echo "make test-postgres  the full suite on a fresh PostgreSQL database (127.0.0.1:5432, user postgres)"
	@echo "make fuzz-api       schemathesis over every API operation on a fresh PostgreSQL database"
	@echo "make lint           ruff check, ruff format --check, mypy, import contracts"
	@echo "make bench          benchmarks under bench/"

# uv comes from PyPI when it is not installed yet (python3 is 3.12 through .python-version).
.venv/.installed: pyproject.toml uv.lock .python-version
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Compiled catalogues (.mo) are build products: made from the committed .po files with Babel.
messages: .venv/.installed
	@.venv/bin/pybabel compile -d qorgau/locale -D django 2>&1 | grep -v '^compiling catalog' || true
	@for l in kk ru en; do test -f qorgau/locale/$$l/LC_MESSAGES/django.mo || { echo "missing catalogue for $$l"; exit 1; }; done

install: .venv/.installed node_modules/.installed messages

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference
	$(PY) manage.py demo --if-empty
	@scripts/serve.sh $(HOST) $(PORT)

test: install
	$(PY) -m pytest -n $(PYTEST_WORKERS) -q

# Debian's Chromium (Playwright's own browser download is not used); installed here when missing.
CHROMIUM ?= /usr/bin/chromium
test-browser: install
	@test -x $(CHROMIUM) || scripts/install-chromium.sh
	QORGAU_CHROMIUM=$(CHROMIUM) $(PY) -m pytest -m browser -q -p no:xdist qorgau/browser_tests

# The family map engine on a local Spark session (Java 17): the same levels as DuckDB (about a minute).
test-spark: install
	$(PY) -m pytest -m spark -q -p no:xdist -W ignore::pytest.PytestUnraisableExceptionWarning qorgau/familymap

test-postgres: install
	@scripts/test-postgres.sh -n $(PYTEST_WORKERS) -q

fuzz-api: install
	@scripts/fuzz-api.sh

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy qorgau
	.venv/bin/lint-imports --no-cache

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# Developers only (needs GNU gettext): refresh the .po catalogues from the source.
makemessages: install
	cd qorgau && ../$(PY) ../manage.py makemessages -l kk -l ru -l en --no-obsolete

bench: install
	$(PY) bench/run.py

ci:
	bash .ci/run

clean:
	rm -rf .venv node_modules staticfiles var/*.sqlite3*
