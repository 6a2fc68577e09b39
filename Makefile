# appwright — the two commands: `make run` and `make test`.
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
WEB_SOURCES := $(shell find web/src web/index.html web/vite.config.ts web/tsconfig*.json -type f 2>/dev/null)
PY_PATHS := appwright testing tests bench

.PHONY: run test install system system-test python-deps web-deps web-build lint typecheck \
	pytest web-check openapi-check fmt clean

run: system python-deps web-build ## Install what is missing, migrate, build the UI, serve :8000
	$(BIN)/appwright run

test: system-test python-deps web-build lint typecheck openapi-check web-check pytest ## Everything

install: python-deps web-deps

system:
	@scripts/ensure-system.sh run

system-test:
	@scripts/ensure-system.sh test

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install -q "uv==$(UV_VERSION)"

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --python $(PYTHON)
	@touch $@

python-deps: $(VENV)/.installed

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web-deps: web/node_modules/.installed

web/dist/index.html: web/node_modules/.installed $(WEB_SOURCES)
	cd web && npm run build

web-build: web/dist/index.html

lint: python-deps
	$(BIN)/ruff check $(PY_PATHS)
	$(BIN)/ruff format --check $(PY_PATHS)
	$(BIN)/lint-imports

typecheck: python-deps
	$(BIN)/mypy $(PY_PATHS)

# The committed web/openapi.json (the typed client's source) must match the API.
openapi-check: python-deps
	@$(BIN)/appwright openapi --out /tmp/appwright-openapi.json
	@diff -q web/openapi.json /tmp/appwright-openapi.json >/dev/null || \
		{ echo "web/openapi.json is stale: run 'make openapi'"; exit 1; }

openapi: python-deps web-deps
	$(BIN)/appwright openapi --out web/openapi.json
	cd web && npm run gen:api

web-check: web-deps
	cd web && npm run lint && npm run typecheck && npm test && npm run format:check

# The product's browser E2E (tests/e2e, Playwright's sync API) runs in a pytest session
# of its own: that API keeps an event loop on the main thread, which the async tests'
# runner must not share. Async browser tests elsewhere run in a session of their own too.
pytest: python-deps web-build
	$(BIN)/pytest -m "not e2e"
	$(BIN)/pytest -m e2e --ignore=tests/e2e
	$(BIN)/pytest tests/e2e

fmt: python-deps web-deps
	$(BIN)/ruff format $(PY_PATHS)
	$(BIN)/ruff check --fix $(PY_PATHS)
	cd web && npm run format

clean:
	rm -rf $(VENV) .tools web/node_modules web/dist
