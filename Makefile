# Two commands matter: `make run` (the app on the bundled data) and `make test` (every test, browser included).
PORT ?= 8501
# Local only by default; `make run ADDRESS=0.0.0.0` serves the whole network (the app has no login).
ADDRESS ?= 127.0.0.1
VENV := .venv
BIN := $(VENV)/bin
# networkx 3.7 wants Python >= 3.12: take the newest interpreter found, else any python3 >= 3.11.
PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
	if $$c -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then echo $$c; break; fi; done)

.PHONY: run test lint bench screenshots clean chromium java

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "error: no Python >= 3.11 found"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.run-installed $@

run: $(VENV)/.run-installed
	$(BIN)/streamlit run explorer/app/main.py --server.headless true --server.port $(PORT) \
		--server.address $(ADDRESS) --browser.gatherUsageStats false

# graphology's GEXF/GraphML parsers (what Gephi Lite reads with) for tests/test_export.py; without npm those
# checks skip, except in CI (CI=true), where they fail.
NODE_TESTS := tests/node
$(NODE_TESTS)/node_modules/.package-lock.json: $(NODE_TESTS)/package.json $(NODE_TESTS)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then cd $(NODE_TESTS) && npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: the graphology export checks will be skipped"; fi

# Installs Debian's chromium when root or passwordless sudo allows, else stops with the command to run.
chromium:
	@bash tools/ensure_debian.sh "$${CHROMIUM:-/usr/bin/chromium}" chromium "the browser tests"

# Installs Debian's Java runtime (for the PySpark test of the event layer) the same way; PySpark 4.0 runs on Java 17 or 21.
java:
	@bash tools/ensure_debian.sh java default-jre-headless "the PySpark test"

test: chromium java $(VENV)/.dev-installed $(NODE_TESTS)/node_modules/.package-lock.json
	$(BIN)/python -m pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check explorer tests tools

# Up to a million relations (minutes, a few GiB); never part of `make test`. BENCH_SIZES=... to choose.
BENCH_SIZES ?= 1000,10000,100000,1000000
bench: $(VENV)/.run-installed
	$(BIN)/python -m explorer bench --sizes $(BENCH_SIZES)

screenshots: $(VENV)/.dev-installed
	$(BIN)/python tools/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
