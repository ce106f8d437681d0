# Two commands: `make run` (set up and serve) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PLAN ?= fixtures/2021-ningbo-civil-air-defence.txt

comma := ,

.PHONY: run dev port-free setup test lint bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# `make run` is production-like: DEBUG off (so users see the product's own 403/404/500
# pages), a secret key generated once into var/, static files collected and served by
# whitenoise, the hosts allowed taken from HOST. Plain http, so cookies are not Secure.
# Every value can be overridden from the environment; `make dev` turns DEBUG on.
run setup: export DEBUG ?= 0
run setup: export SECRET_KEY_FILE ?= $(abspath var/secret_key)
run setup: export ALLOWED_HOSTS ?= $(if $(filter 0.0.0.0 ::,$(HOST)),*,$(HOST)$(comma)localhost$(comma)127.0.0.1)
run setup: export SESSION_COOKIE_SECURE ?= 0
run setup: export CSRF_COOKIE_SECURE ?= 0
run setup: export SITE_URL ?= http://$(HOST):$(PORT)
run setup: export TZ ?= Asia/Shanghai

var/secret_key: | $(PY)
	mkdir -p var
	umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# Idempotent: a second run adds what is missing and changes nothing the office changed
# (departments, the plan, demo users and their password, kept in var/demo_password).
setup: $(VENV)/.runtime var/secret_key
	mkdir -p var/celery/queue var/celery/control
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_departments
	$(PY) manage.py import_workplan $(PLAN) --keep-existing
	$(PY) manage.py create_demo_users --password-file var/demo_password $(if $(DEMO_PASSWORD),--password $(DEMO_PASSWORD))

# Web server, Celery worker and Celery beat from the Procfile, under honcho: one Ctrl-C or
# SIGTERM stops all three, and if one exits (say the port is taken) the others are stopped
# and `make run` fails. `exec` makes honcho the process make signals.
run: port-free setup
	@echo "消息队列：$${CELERY_BROKER_URL:-filesystem://（内置，无需另起服务；文件在 var/celery）}"
	@echo "网址：http://$(HOST):$(PORT)/（DEBUG=$$DEBUG）"
	@PATH="$(abspath $(VENV))/bin:$$PATH" HOST=$(HOST) exec $(VENV)/bin/honcho --no-colour start --port $(PORT)

port-free: | $(PY)
	@$(PY) workplan/checkport.py $(HOST) $(PORT)  # by path: runs before requirements are installed

# Development: DEBUG on (Django's error pages, static files straight from static/), code reloads.
dev:
	@$(MAKE) --no-print-directory run DEBUG=1 GUNICORN_CMD_ARGS="--reload"

test: $(VENV)/.dev
	$(PY) -m pytest

# Province scale, side by side with the floors; BENCH_SCALE=small for a quick look.
bench: $(VENV)/.dev
	$(PY) bench/run.py

lint: $(VENV)/.dev
	$(PY) -m ruff check .
