# Kizuki: `make run` serves the demo, `make test` runs the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := webapp

.PHONY: run test install dev lint typecheck pytest babel clean bench

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

lint: dev
	$(BIN)/ruff check webapp tests scripts
	$(BIN)/ruff format --check webapp tests scripts
	$(BIN)/lint-imports --no-cache

typecheck: dev
	$(BIN)/mypy

pytest: dev
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test: lint typecheck pytest

# The scale benchmark (docs/BENCHMARKS.md): installs wrk when missing, builds the data sets
# it lacks (BENCH_DATA, PostgreSQL on 127.0.0.1), prints the table and records it.
bench: dev
	command -v wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk)
	$(BIN)/python scripts/bench.py --write $(BENCH_ARGS)

babel: dev
	$(BIN)/python scripts/babel_update.py

clean:
	rm -rf $(VENV) instance/*.db .pytest_cache .mypy_cache .ruff_cache
