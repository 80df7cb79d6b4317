# Two commands on a fresh machine: `make run` and `make test`; with `make run` going,
# `make story` tells the README's walk-through against it.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The checks' incremental caches (mypy's, and tsc's and ESLint's for the portal); CI
# keeps them outside the clone (.ci/run), as pip and npm keep theirs. Each is checked
# against the sources' contents, so only what changed is checked again.
MYPY_CACHE ?= .mypy_cache
WEB_CACHE ?= web/node_modules/.cache/checks

.PHONY: run story test checks pytest lint typecheck install supergraph api-schema bench clean node-deps web web-dev web-codegen web-check

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
	$(VENV)/bin/mypy --cache-dir $(MYPY_CACHE) cbkit services gateway tests bench

gateway/node_modules: gateway/package.json gateway/package-lock.json
	npm ci --prefix gateway --no-audit --no-fund
	touch gateway/node_modules

web/node_modules: web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund
	touch web/node_modules

tests/credentials/verifier/node_modules: tests/credentials/verifier/package.json tests/credentials/verifier/package-lock.json
	npm ci --prefix tests/credentials/verifier --no-audit --no-fund
	touch tests/credentials/verifier/node_modules

tests/deploy/keda/node_modules: tests/deploy/keda/package.json tests/deploy/keda/package-lock.json
	npm ci --prefix tests/deploy/keda --no-audit --no-fund
	touch tests/deploy/keda/node_modules

node-deps: gateway/node_modules web/node_modules tests/credentials/verifier/node_modules tests/deploy/keda/node_modules

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
	mkdir -p $(WEB_CACHE)
	npm run --prefix web lint -- --cache --cache-strategy content --cache-location $(abspath $(WEB_CACHE))/eslint
	npm run --prefix web typecheck -- --incremental --tsBuildInfoFile $(abspath $(WEB_CACHE))/tsc.tsbuildinfo
	npm run --prefix web test -- --reporter=dot

# What `make test` checks before pytest; CI runs them side by side (.ci/run).
checks: lint typecheck node-deps web web-check

test: checks
	$(MAKE) --no-print-directory pytest

pytest: $(STAMP)
	$(VENV)/bin/pytest -q

supergraph: $(STAMP) node-deps
	$(PY) -m gateway.compose
	$(PY) -m gateway.api_export

# The gateway's client-facing API schema (gateway/api.graphql), what the portal's types
# are generated from.
api-schema: $(STAMP)
	$(PY) -m gateway.api_export

clean:
	rm -rf $(VENV) node_modules gateway/node_modules web/node_modules tests/credentials/verifier/node_modules tests/deploy/keda/node_modules web/dist .mypy_cache .ruff_cache .pytest_cache
