# One command to start the dashboard (make run), one to run every check (make test).
# Each sets up what it needs: a virtualenv in .venv, the package, and the map's scripts.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test setup assets data lint types unit browser-deps bench bench-scale clean

run: setup assets data
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: setup assets browser-deps lint types
	$(BIN)/pytest

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

assets:
	./scripts/fetch-vendor.sh

data: setup
	$(BIN)/python -m geo build

lint: setup
	$(BIN)/ruff check .

types: setup
	$(BIN)/mypy

# Browser tests drive Debian's chromium (Playwright's own browser download needs the internet).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

bench: setup assets browser-deps
	$(BIN)/python benchmarks/dashboard_latency.py

# 1,000 to 100,000 synthetic places: build, export, dashboard against a FastMarkerCluster app.
# Long (the big sizes take many minutes); SCALE_ARGS=--quick for a small run.
bench-scale: setup assets browser-deps
	$(BIN)/python benchmarks/scale.py $(SCALE_ARGS)

clean:
	rm -rf $(VENV) static/vendor .mypy_cache .ruff_cache .pytest_cache
