# Two commands on a fresh machine: `make run` and `make test`; with `make run` going,
# `make story` tells the README's walk-through against it.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run story test lint typecheck install supergraph api-schema bench clean node-deps

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP) node-deps
	$(PY) -m cbkit.devrun

story: $(STAMP)
	PY=$(abspath $(PY)) bash docs/story.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy cbkit services gateway tests bench

gateway/node_modules: gateway/package.json gateway/package-lock.json
	npm ci --prefix gateway --no-audit --no-fund
	touch gateway/node_modules

node-deps: gateway/node_modules

test: lint typecheck node-deps
	$(VENV)/bin/pytest -q

supergraph: $(STAMP) node-deps
	$(PY) -m gateway.compose
	$(PY) -m gateway.api_export

# The gateway's client-facing API schema (gateway/api.graphql), what the portal's types
# are generated from.
api-schema: $(STAMP)
	$(PY) -m gateway.api_export

clean:
	rm -rf $(VENV) node_modules gateway/node_modules .mypy_cache .ruff_cache .pytest_cache
