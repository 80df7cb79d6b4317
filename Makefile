# Two commands on a fresh machine: `make run` and `make test`; with `make run` going,
# `make story` tells the README's walk-through against it.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run story test lint typecheck install supergraph api-schema bench clean node-deps web web-dev web-codegen web-check

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP) node-deps web
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

web/node_modules: web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund
	touch web/node_modules

tests/credentials/verifier/node_modules: tests/credentials/verifier/package.json tests/credentials/verifier/package-lock.json
	npm ci --prefix tests/credentials/verifier --no-audit --no-fund
	touch tests/credentials/verifier/node_modules

node-deps: gateway/node_modules web/node_modules tests/credentials/verifier/node_modules

# The web portal (web/): `make web` builds it into web/dist (the gateway serves it at /,
# and the build fails over the first page's JavaScript budget); `make web-dev` runs
# Vite's dev server on :5173 against the gateway of `make run`; `make web-codegen`
# regenerates the operations' types and the trusted-documents manifest (web/src/gql/).
web: web/node_modules
	npm run --prefix web build

web-dev: web/node_modules
	npm run --prefix web dev

web-codegen: web/node_modules api-schema
	npm run --prefix web codegen

# The portal's own checks: lint (warnings are errors), types, and the component tests
# (Vitest, Testing Library).
web-check: web/node_modules
	npm run --prefix web lint
	npm run --prefix web typecheck
	npm run --prefix web test -- --reporter=dot

test: lint typecheck node-deps web web-check
	$(VENV)/bin/pytest -q

supergraph: $(STAMP) node-deps
	$(PY) -m gateway.compose
	$(PY) -m gateway.api_export

# The gateway's client-facing API schema (gateway/api.graphql), what the portal's types
# are generated from.
api-schema: $(STAMP)
	$(PY) -m gateway.api_export

clean:
	rm -rf $(VENV) node_modules gateway/node_modules web/node_modules tests/credentials/verifier/node_modules web/dist .mypy_cache .ruff_cache .pytest_cache
