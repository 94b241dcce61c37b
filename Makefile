# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
# gunicorn with gunicorn.conf.py: one process, so that its in-memory sign-in limits are exact without Redis, and
# threads, each with its own SQLite connection (WAL: reads never wait for the one writer).
SERVE = $(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 1 --threads 8 --graceful-timeout 5 wsgi:app

.PHONY: run serve test install install-test translations lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed translations

install-test: $(VENV)/.installed-test translations

translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d app/translations

run: install
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask demo --url http://127.0.0.1:$(PORT)
	$(SERVE)

# What `make run` serves with, for a checkout already installed and migrated.
serve:
	$(SERVE)

TEST_PROCESSES ?= auto

test: install-test
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
