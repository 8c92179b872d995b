# Gaoxin — `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install install-dev run test lint format messages check bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed ## Create the virtualenv and install the runtime dependencies

install-dev: $(VENV)/.installed-dev ## Install what the tests and linters need too

run: install ## Migrate, load the demo zone and serve on http://127.0.0.1:8000 with a task worker
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops the server, the worker and the scheduler)"
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/python manage.py db_worker --queue-name default & \
	$(BIN)/python manage.py run_scheduler & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload

test: install-dev ## Run the whole suite (SQLite; PostgreSQL when DATABASE_URL is set)
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev ## Apply ruff's formatting and safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install-dev ## Extract and compile translations (needs gettext; the .mo files are committed)
	$(BIN)/python manage.py makemessages -l zh_Hans --no-wrap --no-location --ignore=.venv --ignore=static --ignore=staticfiles --ignore=test-results --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench: install-dev ## Benchmarks on PostgreSQL (statistics vs raw SQL, lists, throughput); not part of test
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null) || true
	$(BIN)/python bench/run.py

check: install ## Django's system checks, including the permission checks
	$(BIN)/python manage.py check

clean: ## Remove the virtualenv, the demo database and collected static files
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
