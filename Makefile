# EIG Portal — the two commands a newcomer needs: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails and in the demo's printout follow the port served (unless SITE_URL is set).
SITE_URL ?= http://$(HOST):$(PORT)
export SITE_URL

.PHONY: run test install lint format bench messages lock

# Installs the exact versions of requirements-dev.lock (those the tests ran with), then the
# project itself without resolving anything again.
$(VENV)/.installed: requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.lock
	$(VENV)/bin/pip install --quiet -e . --no-deps
	touch $@

install: $(VENV)/.installed

## make lock: pin every dependency of pyproject.toml (after changing it) in the two lock files.
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links
lock:
	$(VENV)/bin/pip install --quiet "pip-tools>=7.4,<8"
	$(PIP_COMPILE) --output-file=requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra=dev --output-file=requirements-dev.lock pyproject.toml

## make run: install, migrate, import the real data, create the demo coordinator, serve.
run: install
	$(PY) manage.py compilemessages --ignore=.venv -v0 || true
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py import_eig_data
	$(PY) manage.py setup_demo
	@echo "Portail EIG : http://$(HOST):$(PORT)/"
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test: the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL).
test: install
	$(PY) manage.py compilemessages --ignore=.venv -v0 || true
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## make bench: every speed target in one run on a throwaway PostgreSQL database (BENCH_DATABASE_URL;
## test_<name> is created and dropped), ratios printed and written to bench.json.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/eig_bench
bench: install
	$(PY) scripts/bench_all.py --database-url $(BENCH_DATABASE_URL) --json bench.json

## make messages: update the catalogues. French is the source language; its catalogue copies
## every msgid (msgen) so that ngettext follows the French plural rule (0 and 1 are singular).
FR_PO := locale/fr/LC_MESSAGES/django.po
messages: install
	$(PY) manage.py makemessages -l en -l fr --ignore=.venv --ignore=data
	msgattrib --clear-fuzzy --empty -o $(FR_PO) $(FR_PO)
	msgen -o $(FR_PO) $(FR_PO)
