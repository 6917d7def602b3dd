# vlrtracker — the two commands: `make run` (demo on SQLite) and `make test` (whole suite).
# Needs only Python 3.11+ and git; everything else goes into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000

.PHONY: run setup test bench lint clean-db help

help:
	@echo "make run    set up .venv, migrate, load reference + demo data, ingest seeds/, serve http://$(HOST)"
	@echo "make test   set up .venv and run the whole pytest suite"
	@echo "make bench  run the benchmarks in bench/ and print their figures"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
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
	@if $(MANAGE) help ingest >/dev/null 2>&1; then $(MANAGE) ingest seeds/; fi

run: setup
	@echo "Serving http://$(HOST)/ (admin: http://$(HOST)/admin/). Demo logins are printed above."
	@# The background-job worker runs beside the server; Ctrl-C (or the server ending) stops both.
	@trap 'pkill -P $$worker 2>/dev/null; kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) db_worker & worker=$$!; \
	$(MANAGE) runserver $(HOST)

test: $(VENV)/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

lint: $(VENV)/.installed
	$(BIN)/ruff check .

clean-db:
	rm -f db.sqlite3
