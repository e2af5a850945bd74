# Veiviser — the two front-door commands are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
PY      := $(VENV)/bin/python
RASA    := $(VENV)/bin/rasa
STAMP   := $(VENV)/.installed
PYTHON310 ?= $(shell scripts/find_python310.sh)

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONHASHSEED := 0

.PHONY: help run test eval fuzz compare train db seed validate lint clean fonts purge browser-deps services

help:
	@echo "make run       start the assistant: Rasa :5005, actions :5055, web :8000 (Ctrl-C stops all)"
	@echo "make test      run the test suite (trains the model first if its inputs changed)"
	@echo "make eval      pass rate per language and kind, one-tap rate and latency on the development, held-out and blind sets"
	@echo "make fuzz      hypothesis-made chat, eligibility, staff, live chat and signed-in staff form inputs against a running stack: 5xx and timeouts"
	@echo "make compare   compare service classifiers: cross-validation per language and the blind sets, without Rasa"
	@echo "make train     train the NLU/dialogue model if its inputs changed"
	@echo "make db        create/migrate the database; load the seed content into an empty one"
	@echo "make seed      reload the seed content (knowledge/content/*.yml), overwriting edits"
	@echo "make validate  rasa data validate"
	@echo "make lint      ruff"
	@echo "make fonts     fetch the fonts the application PDF needs (Latin, Arabic, Ethiopic) into var/fonts"
	@echo "make purge     delete applications and consents past their retention period"
	@echo "make browser-deps  Debian's Chromium (apt, when missing) and the npm packages for the widget's browser tests"
	@echo "make services  Debian's PostgreSQL and Redis binaries (apt, when missing); the tests start their own servers"

$(STAMP): pyproject.toml
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found: install it (e.g. pyenv install 3.10) or set PYTHON310=/path/to/python3.10"; exit 1; }
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip wheel "setuptools>=69,<76"
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

db: $(STAMP)
	$(PY) -m knowledge setup

seed: $(STAMP)
	$(PY) -m knowledge seed

train: $(STAMP)
	@scripts/train_if_changed.sh

validate: $(STAMP)
	cd bot && ../$(RASA) data validate --domain domain.yml --data data ../nlu_data --config config.yml --fail-on-warnings

lint: $(STAMP)
	$(VENV)/bin/ruff check knowledge actions web bot/veiviser_nlu scripts tests

fonts:
	@scripts/fetch_fonts.sh

# playwright-core and axe-core for the widget's browser tests (Chromium itself comes from Debian).
browser-deps: tests/browser/node_modules/.installed
	@scripts/ensure_chromium.sh
tests/browser/node_modules/.installed: tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $@

# The tests start throw-away PostgreSQL and Redis servers (veiviser_eval.services) from Debian's binaries.
services:
	@scripts/ensure_services.sh

purge: $(STAMP)
	$(PY) -m knowledge purge

run: db train fonts
	@scripts/run_all.sh

test: $(STAMP) train fonts browser-deps services
	$(PY) -m pytest -q
	VEIVISER_TEST_DATABASE=postgresql $(PY) -m pytest -q -m "not model" tests/knowledge tests/web tests/eligibility tests/actions tests/bot/test_tracker_store.py

eval: db train
	$(PY) -m veiviser_eval

fuzz: db train
	$(PY) -m veiviser_eval.fuzz

# Latency, throughput, memory and training time next to a bare `rasa init` assistant (about 15 min).
.PHONY: bench
bench: db train
	$(PY) -m veiviser_eval.bench

compare: $(STAMP)
	$(PY) -m veiviser_eval.compare

clean:
	rm -rf models var/*.db
