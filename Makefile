# Gaoxin — `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# `make run`'s secret key: generated once on first start, mode 0600, git-ignored (var/).
SECRET_KEY_FILE ?= $(CURDIR)/var/secret_key
APT    := DEBIAN_FRONTEND=noninteractive apt-get

.DEFAULT_GOAL := help
.PHONY: help install install-dev run dev test lint format messages check bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	@# Debian ships venv without ensurepip unless python3-venv is installed.
	@$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || { \
	  echo "python3 -m venv is unavailable: installing Debian's python3-venv"; \
	  ($(APT) update -qq && $(APT) install -y -qq python3-venv >/dev/null) \
	  || echo "Could not install python3-venv (not root?): run 'sudo apt-get install python3-venv'"; }
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

# The demo runs as deployed: DEBUG off (Chinese error pages, no debug details), a private secret
# key, hashed static files served by WhiteNoise, gunicorn. SECURE=0 only because the demo is
# plain HTTP on 127.0.0.1; behind TLS leave it on (docs/deployment.md).
run: export DEBUG := 0
run: export SECURE := 0
run: export SECRET_KEY_FILE := $(SECRET_KEY_FILE)
run: install ## Migrate, load the demo zone and serve it as in production (DEBUG off) on http://127.0.0.1:8000
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ with DEBUG off (Ctrl-C stops the server, the worker and the scheduler)"
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/python manage.py db_worker --queue-name default & \
	$(BIN)/python manage.py run_scheduler & \
	$(BIN)/gunicorn gaoxin.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile -

dev: export DEBUG := 1
dev: install ## Like run, but for development: DEBUG on, static files from the source tree, auto-reload
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ with DEBUG on (Ctrl-C stops the server, the worker and the scheduler)"
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/python manage.py db_worker --queue-name default & \
	$(BIN)/python manage.py run_scheduler & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev ## Run the whole suite (SQLite; PostgreSQL when DATABASE_URL is set)
	@# The browser tests drive Debian's Chromium and need CJK fonts for the screenshots.
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  echo "Installing Debian's chromium and fonts-noto-cjk for the browser tests"; \
	  ($(APT) update -qq && $(APT) install -y -qq chromium fonts-noto-cjk >/dev/null) \
	  || echo "Could not install them (not root?): run 'sudo apt-get install chromium fonts-noto-cjk'"; \
	fi
	$(BIN)/python manage.py makemigrations --check --dry-run
	@# The floors and rooms of the code (import-linter's contracts in pyproject.toml).
	$(BIN)/lint-imports --no-cache
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
	$(BIN)/python bench/evaluation.py

check: install ## Django's system checks, including the permission checks
	$(BIN)/python manage.py check

clean: ## Remove the virtualenv, the demo database and collected static files (keeps var/secret_key)
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
