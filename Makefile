# vlrtracker — the two commands: `make run` (demo on SQLite) and `make test` (whole suite).
# Needs only Python 3.11+ and git; everything else goes into .venv.
PYTHON ?= python3
PYTHON_MIN := 3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000
# Development on PostgreSQL (`make postgres`): the role and database it creates.
PG_DB ?= vlrtracker_dev
PG_USER ?= vlrtracker
PG_PASSWORD ?= vlrtracker
PG_URL := postgres://$(PG_USER):$(PG_PASSWORD)@127.0.0.1:5432/$(PG_DB)

.PHONY: run setup test screenshots hostile bench lint format clean-db help manage seed passwords ingest evaluate postgres

help:
	@echo "make run          set up .venv, migrate, load reference + demo data, ingest seeds/, serve http://$(HOST)"
	@echo "make test         set up .venv, run make lint, then the whole pytest suite (skip reasons in the summary)"
	@echo "make lint         ruff lint + format check (settings in pyproject.toml); make format applies the format"
	@echo "make manage ARGS='...'   any manage.py command in .venv, e.g. make manage ARGS='export_vlr --help'"
	@echo "make seed         demo users and data (make passwords: new demo passwords, printed)"
	@echo "make ingest       store seeds/ as evidence (ARGS='PATH... [--municipality CODE]' for others)"
	@echo "make evaluate     score the evidence engine on ../shared/evidence-dev (ARGS='DIR [LABELS.csv] --verbose')"
	@echo "make screenshots  refresh docs/screenshots/ (the README's pictures) with the browser tests"
	@echo "make postgres     start PostgreSQL, create role + database $(PG_DB); prints the DATABASE_URL to use"
	@echo "make hostile      write issue 13's hostile inputs into out/hostile/ (ARGS='--scale 0.01' for small ones)"
	@echo "make bench        run the benchmarks in bench/ and print their figures"

# A clear refusal instead of a bare AssertionError when the interpreter is missing or too old.
$(BIN)/python:
	@version=$$($(PYTHON) -c 'import platform; print(platform.python_version())' 2>/dev/null) || { \
	  echo "'$(PYTHON)' could not be run. vlrtracker needs Python $(PYTHON_MIN)+: name one, e.g. make run PYTHON=python3.12"; \
	  exit 1; }; \
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < tuple(map(int, "$(PYTHON_MIN)".split("."))))' || { \
	  echo "vlrtracker needs Python $(PYTHON_MIN)+, but '$(PYTHON)' is Python $$version."; \
	  echo "Pick another interpreter, e.g. make run PYTHON=python3.12 (or PYTHON=/usr/bin/python3.11)."; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)

# Re-install only when a requirements file changed.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.installed
	$(MANAGE) migrate --no-input
	$(MANAGE) load_reference
	$(MANAGE) seed_demo
	$(MANAGE) rebuild_progress
	$(MANAGE) ingest seeds/

run: setup
	@echo "Serving http://$(HOST)/ (admin: http://$(HOST)/admin/). Demo users are listed above by seed_demo;"
	@echo "a password is printed only when its user is created: 'make passwords' prints new ones."
	@# The background-job worker runs beside the server; Ctrl-C (or the server ending) stops both.
	@trap 'pkill -P $$worker 2>/dev/null; kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) db_worker & worker=$$!; \
	$(MANAGE) runserver $(HOST)

# Lint first: CI runs exactly `make test`, so the lint and format rules hold on every landing.
test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The browser tests write their pictures to tests/screenshots/ (ignored by git); only this target
# refreshes the README's pictures in docs/screenshots/.
screenshots: $(VENV)/.installed
	SCREENSHOT_DIR=docs/screenshots $(BIN)/python -m pytest -m browser tests/browser $(PYTEST_ARGS)

hostile: $(VENV)/.installed
	$(BIN)/python tests/hostile/generate.py out/hostile $(ARGS)

manage: $(VENV)/.installed
	$(MANAGE) $(ARGS)

seed: $(VENV)/.installed
	$(MANAGE) seed_demo $(ARGS)

passwords: $(VENV)/.installed
	$(MANAGE) seed_demo --reset-passwords

ingest: $(VENV)/.installed
	$(MANAGE) ingest $(or $(ARGS),seeds/)

evaluate: $(VENV)/.installed
	$(MANAGE) evaluate_evidence $(or $(ARGS),../shared/evidence-dev)

# Debian's PostgreSQL (pg_ctlcluster); run as root (or with sudo). Idempotent.
postgres:
	@command -v pg_ctlcluster >/dev/null || { echo "PostgreSQL is not installed: apt-get install postgresql"; exit 1; }
	@version=$$(ls /usr/lib/postgresql | sort -n | tail -1); \
	  pg_ctlcluster $$version main start >/dev/null 2>&1 || pg_ctlcluster $$version main status >/dev/null
	@printf '%s\n' "DO \$$\$$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$(PG_USER)') THEN \
	  CREATE ROLE $(PG_USER) LOGIN CREATEDB PASSWORD '$(PG_PASSWORD)'; END IF; END \$$\$$;" \
	  | su postgres -c "psql -v ON_ERROR_STOP=1 -q"
	@su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = '$(PG_DB)'\"" | grep -q 1 \
	  || su postgres -c "createdb -O $(PG_USER) $(PG_DB)"
	@echo "PostgreSQL database $(PG_DB) ready. Use it with:"
	@echo "  DATABASE_URL=$(PG_URL) make run"
	@echo "  DATABASE_URL=$(PG_URL) make test"

bench: $(VENV)/.installed
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean-db:
	rm -f db.sqlite3
