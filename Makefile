# Two commands: `make run` (set up and serve) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PLAN ?= fixtures/2021-ningbo-civil-air-defence.txt

.PHONY: run setup test lint bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# Idempotent: a second run updates in place and duplicates nothing.
setup: $(VENV)/.runtime
	mkdir -p var/celery/queue
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata departments
	$(PY) manage.py import_workplan $(PLAN) --keep-existing
	$(PY) manage.py create_demo_users $(if $(DEMO_PASSWORD),--password $(DEMO_PASSWORD))

# The web server, one Celery worker and Celery beat together; Ctrl-C stops all three.
run: setup
	@echo "Celery broker: $${CELERY_BROKER_URL:-filesystem:// (embedded, no server needed; files under var/celery)}"
	@export SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}; \
	trap 'kill $$(jobs -p) 2>/dev/null; wait' EXIT INT TERM; \
	$(PY) -m celery -A workplan worker --loglevel=warning --concurrency=1 & \
	$(PY) -m celery -A workplan beat --loglevel=warning & \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev
	$(PY) -m pytest

# Province scale, side by side with the floors; BENCH_SCALE=small for a quick look.
bench: $(VENV)/.dev
	$(PY) bench/run.py

lint: $(VENV)/.dev
	$(PY) -m ruff check .
